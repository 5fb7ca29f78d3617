import type { Redis } from 'ioredis';
import { HEARTBEAT_KEYS } from '../contract/connections';

/** What a node says of itself every publish interval; the entry expires if the node stops saying it. */
export interface NodeHeartbeat {
  readonly nodeId: string;
  readonly targetKind: string;
  readonly targetName: string;
  readonly connections: number;
  readonly ready: boolean;
  readonly draining: boolean;
  /** Where the other nodes can reach this one (its /readyz), while Redis is out of reach. */
  readonly url?: string;
  /** Epoch milliseconds. */
  readonly at: number;
}

export interface FleetView {
  readonly nodes: NodeHeartbeat[];
  readonly connections: number;
}

const NODES = HEARTBEAT_KEYS.nodes;
const nodeKey = HEARTBEAT_KEYS.node;

export async function writeHeartbeat(redis: Redis, beat: NodeHeartbeat, ttlMs: number): Promise<void> {
  await redis.multi().set(nodeKey(beat.nodeId), JSON.stringify(beat), 'PX', ttlMs).sadd(NODES, beat.nodeId).exec();
}

export async function removeHeartbeat(redis: Redis, nodeId: string): Promise<void> {
  await redis.multi().del(nodeKey(nodeId)).srem(NODES, nodeId).exec();
}

/**
 * The live fleet, read from Redis without CloudWatch's delay: every node whose heartbeat has not
 * expired, optionally of one target. Ids whose entry expired are dropped from the index.
 */
export async function readFleet(redis: Redis, targetName?: string): Promise<FleetView> {
  const ids = await redis.smembers(NODES);
  if (ids.length === 0) return { nodes: [], connections: 0 };
  const values = await redis.mget(ids.map(nodeKey));
  const expired = ids.filter((_, i) => values[i] === null);
  if (expired.length > 0) await redis.srem(NODES, ...expired);
  const nodes = values
    .filter((v): v is string => v !== null)
    .map((v) => JSON.parse(v) as NodeHeartbeat)
    .filter((n) => targetName === undefined || n.targetName === targetName)
    .sort((a, b) => a.nodeId.localeCompare(b.nodeId));
  return { nodes, connections: nodes.reduce((sum, n) => sum + n.connections, 0) };
}
