import { createAdapter as createRedisAdapter } from '@socket.io/redis-adapter';
import type { Server } from 'socket.io';
import { readFleet, writeHeartbeat, removeHeartbeat, type FleetView, type NodeHeartbeat } from '../contract/heartbeat';
import { HistoryStore, type History } from './history';
import { createChatRedis, type ChatRedisEvents } from './redis-clients';

/**
 * What a chat node shares with the other nodes: the socket.io adapter that carries room broadcasts,
 * the rooms' history, and the heartbeats. In production that is Redis; in local mode with nothing
 * installed, the Node cluster primary that started the nodes (chat/cluster-backend.ts).
 */
export interface ChatBackend {
  /** For the log: the Redis URL without its credentials, or "cluster primary". */
  readonly description: string;
  readonly history: History;
  readonly adapter: Parameters<Server['adapter']>[0];
  writeHeartbeat(beat: NodeHeartbeat, ttlMs: number): Promise<void>;
  removeHeartbeat(nodeId: string): Promise<void>;
  /** The live nodes of a target, from their heartbeats; absent where the nodes share no fleet view. */
  readFleet?(targetName: string): Promise<FleetView>;
  online(): boolean;
  status(): Record<string, string>;
  /** Lets go of every connection by `deadlineMs`. */
  close(deadlineMs: number): Promise<void>;
}

export function redisBackend(url: string, historyMaxLength: number, events: ChatRedisEvents): ChatBackend {
  const redis = createChatRedis(url, events);
  return {
    description: url.replace(/\/\/[^@]*@/, '//***@'),
    history: new HistoryStore(redis.command, historyMaxLength),
    adapter: createRedisAdapter(redis.pub, redis.sub, { requestsTimeout: 2000 }),
    writeHeartbeat: (beat, ttlMs) => writeHeartbeat(redis.command, beat, ttlMs),
    removeHeartbeat: (nodeId) => removeHeartbeat(redis.command, nodeId),
    readFleet: (targetName) => readFleet(redis.command, targetName),
    online: () => redis.online(),
    status: () => redis.status(),
    close: (deadlineMs) => redis.close(deadlineMs),
  };
}
