import type { Redis } from 'ioredis';
import { HEARTBEAT_KEYS, HEARTBEAT_TTL_INTERVALS } from './connections';

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

const MINUTE = 60;
/** How long the per-minute history is kept: the forecaster fits 14 days. */
const HISTORY_SECONDS = 15 * 86_400;
const dayOf = (minute: number) => Math.floor(minute / 86_400);

/**
 * Writes the node's heartbeat, and adds what it held since the last one (connections × the publish
 * interval, in connection-seconds) to its target's minute: a minute's sum over 60 is the fleet's average
 * open connections in it, whatever the interval, as CloudWatch's Sum over a minute gives it.
 */
export async function writeHeartbeat(redis: Redis, beat: NodeHeartbeat, ttlMs: number): Promise<void> {
  const intervalSeconds = ttlMs / 1000 / HEARTBEAT_TTL_INTERVALS;
  const minute = Math.floor(beat.at / 1000 / MINUTE) * MINUTE;
  const history = HEARTBEAT_KEYS.minutes(beat.targetName, dayOf(minute));
  await redis
    .multi()
    .set(nodeKey(beat.nodeId), JSON.stringify(beat), 'PX', ttlMs)
    .sadd(NODES, beat.nodeId)
    .hincrbyfloat(history, String(minute), beat.connections * intervalSeconds)
    .expire(history, HISTORY_SECONDS)
    .exec();
}

/**
 * A target's fleet average open connections for each whole minute from `from` to `to`, from the nodes'
 * heartbeats: NaN where no node said anything in a minute.
 */
export async function readMinutes(redis: Pick<Redis, 'hgetall'>, targetName: string, from: number, to: number): Promise<{ times: number[]; values: number[] }> {
  const first = Math.floor(from / MINUTE) * MINUTE;
  const end = Math.floor(to / MINUTE) * MINUTE;
  const days = new Map<number, Record<string, string>>();
  for (let day = dayOf(first); day <= dayOf(end - 1) && first < end; day++) days.set(day, await redis.hgetall(HEARTBEAT_KEYS.minutes(targetName, day)));
  const times: number[] = [];
  const values: number[] = [];
  for (let t = first; t < end; t += MINUTE) {
    const held = days.get(dayOf(t))?.[String(t)];
    times.push(t);
    values.push(held === undefined ? NaN : Number(held) / MINUTE);
  }
  return { times, values };
}

export async function removeHeartbeat(redis: Redis, nodeId: string): Promise<void> {
  await redis.multi().del(nodeKey(nodeId)).srem(NODES, nodeId).exec();
}

/**
 * The live fleet, read from Redis without CloudWatch's delay: every node whose heartbeat has not
 * expired, optionally of one target. Ids whose entry expired are dropped from the index.
 */
export async function readFleet(redis: Pick<Redis, 'smembers' | 'mget' | 'srem'>, targetName?: string): Promise<FleetView> {
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
