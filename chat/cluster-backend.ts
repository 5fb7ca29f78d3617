import cluster from 'node:cluster';
import { createAdapter as createClusterAdapter, setupPrimary } from '@socket.io/cluster-adapter';
import type { ChatBackend } from './backend';
import type { FleetView, NodeHeartbeat } from '../contract/heartbeat';
import { SINCE_MARGIN_MS, SINCE_MAX, uniqueMessages } from './history';
import type { ChatMessage } from './protocol';
import type { ChatRedisEvents } from './redis-clients';

// Local mode with nothing installed: the chat nodes are workers of one Node cluster primary (the local
// fleet), room broadcasts go through it with @socket.io/cluster-adapter, and the history and heartbeats
// Redis would keep live in the primary's memory, asked for over the same IPC channel.

const TAG = 'chat-cluster-store';
const REQUEST_TIMEOUT_MS = 2000;

type Operation = 'append' | 'recent' | 'since' | 'heartbeat' | 'forget';
interface Request {
  readonly [TAG]: 'request';
  readonly id: number;
  readonly op: Operation;
  readonly args: unknown[];
}
interface Reply {
  readonly [TAG]: 'reply';
  readonly id: number;
  readonly result?: unknown;
  readonly error?: string;
}

/** A worker's side: every operation is a request to the primary, answered or failed within 2 s. */
export function clusterBackend(events: Pick<ChatRedisEvents, 'onOnline'>): ChatBackend {
  const send = process.send?.bind(process);
  if (send === undefined) throw new Error('the cluster backend runs only in a chat node that a local fleet started (a Node cluster worker)');
  let next = 0;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }>();
  const onMessage = (message: unknown) => {
    const reply = message as Reply;
    if (reply?.[TAG] !== 'reply') return;
    const waiting = pending.get(reply.id);
    if (waiting === undefined) return;
    pending.delete(reply.id);
    clearTimeout(waiting.timer);
    if (reply.error !== undefined) waiting.reject(new Error(reply.error));
    else waiting.resolve(reply.result);
  };
  process.on('message', onMessage);
  const request = <T>(op: Operation, ...args: unknown[]) =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`the cluster primary did not answer ${op} within ${REQUEST_TIMEOUT_MS} ms`));
      }, REQUEST_TIMEOUT_MS);
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      send({ [TAG]: 'request', id, op, args } satisfies Request);
    });
  setImmediate(() => events.onOnline());
  return {
    description: 'cluster primary',
    history: {
      append: (messages) => request('append', messages),
      recent: (room, count) => request('recent', room, count),
      since: (room, sinceMs) => request('since', room, sinceMs),
    },
    adapter: createClusterAdapter(),
    writeHeartbeat: (beat, ttlMs) => request('heartbeat', beat, ttlMs),
    removeHeartbeat: (nodeId) => request('forget', nodeId),
    online: () => process.connected === true,
    status: () => ({ primary: process.connected ? 'ready' : 'disconnected' }),
    async close() {
      process.off('message', onMessage);
      for (const [id, waiting] of pending) {
        clearTimeout(waiting.timer);
        waiting.reject(new Error('the node is closing'));
        pending.delete(id);
      }
    },
  };
}

/** The primary's side: the rooms' history and the heartbeats, in memory, as Redis would keep them. */
export class ClusterStore {
  private readonly rooms = new Map<string, Array<{ at: number; message: ChatMessage }>>();
  private readonly beats = new Map<string, { beat: NodeHeartbeat; expires: number }>();

  constructor(
    private readonly maxLength: number,
    private readonly now: () => number = Date.now,
  ) {}

  append(messages: readonly ChatMessage[]): void {
    for (const message of messages) {
      const room = this.rooms.get(message.room) ?? [];
      this.rooms.set(message.room, room);
      room.push({ at: this.now(), message });
      if (room.length > this.maxLength) room.splice(0, room.length - this.maxLength);
    }
  }

  recent(room: string, count: number): ChatMessage[] {
    return count === 0 ? [] : uniqueMessages((this.rooms.get(room) ?? []).slice(-count).map((e) => e.message));
  }

  since(room: string, sinceMs: number): ChatMessage[] {
    const after = (this.rooms.get(room) ?? []).filter((e) => e.at >= sinceMs - SINCE_MARGIN_MS);
    return uniqueMessages(after.slice(-SINCE_MAX).map((e) => e.message));
  }

  heartbeat(beat: NodeHeartbeat, ttlMs: number): void {
    this.beats.set(beat.nodeId, { beat, expires: this.now() + ttlMs });
  }

  forget(nodeId: string): void {
    this.beats.delete(nodeId);
  }

  /** The live nodes, as `readFleet` reads them from Redis. */
  fleet(targetName?: string): FleetView {
    const now = this.now();
    const nodes = [...this.beats.values()]
      .filter((b) => b.expires > now && (targetName === undefined || b.beat.targetName === targetName))
      .map((b) => b.beat)
      .sort((a, b) => a.nodeId.localeCompare(b.nodeId));
    return { nodes, connections: nodes.reduce((sum, n) => sum + n.connections, 0) };
  }

  answer(op: Operation, args: unknown[]): unknown {
    switch (op) {
      case 'append':
        return this.append(args[0] as ChatMessage[]);
      case 'recent':
        return this.recent(args[0] as string, args[1] as number);
      case 'since':
        return this.since(args[0] as string, args[1] as number);
      case 'heartbeat':
        return this.heartbeat(args[0] as NodeHeartbeat, args[1] as number);
      case 'forget':
        return this.forget(args[0] as string);
    }
  }
}

let served: ClusterStore | undefined;
/**
 * Makes this process the chat cluster's primary (once): it relays the workers' room broadcasts and
 * answers their store requests from memory.
 */
export function serveChatCluster(historyMaxLength = 1000): ClusterStore {
  if (served !== undefined) return served;
  if (!cluster.isPrimary) throw new Error('only the cluster primary serves the chat cluster');
  setupPrimary();
  const store = new ClusterStore(historyMaxLength);
  cluster.on('message', (worker, message: unknown) => {
    const request = message as Request;
    if (request?.[TAG] !== 'request') return;
    let reply: Reply;
    try {
      reply = { [TAG]: 'reply', id: request.id, result: store.answer(request.op, request.args) };
    } catch (error) {
      reply = { [TAG]: 'reply', id: request.id, error: error instanceof Error ? error.message : String(error) };
    }
    if (worker.isConnected()) worker.send(reply);
  });
  served = store;
  return store;
}
