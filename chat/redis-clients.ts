import { Redis, type RedisOptions } from 'ioredis';
import { until } from './deadline';

export interface ChatRedis {
  /** Commands: history, heartbeat. Fails fast while disconnected instead of queueing. */
  readonly command: Redis;
  /** The adapter's publisher. A publish that fails is logged, never an unhandled rejection. */
  readonly pub: Redis;
  /** The adapter's subscriber; ioredis subscribes again by itself after a reconnect. */
  readonly sub: Redis;
  online(): boolean;
  /** Every status, for /readyz. */
  status(): Record<'command' | 'pub' | 'sub', string>;
  /**
   * Closes every connection by `deadlineMs`: politely (QUIT) where it is up, at once where it is not, so
   * a reconnect timer or a command queued behind an outage never holds the process open.
   */
  close(deadlineMs: number): Promise<void>;
}

export interface ChatRedisEvents {
  onOnline(): void;
  onError(client: string, error: Error): void;
}

/**
 * Redis refused the node's credentials. The token is read once, at start-up, so reconnecting with it
 * cannot succeed; the node stops instead, and its platform starts it again with the current secret.
 */
export const isAuthRefusal = (error: Error): boolean => /^(WRONGPASS|NOAUTH|ERR invalid password)/.test(error.message);

/** Reconnect quickly and forever: a chat node outlives any Redis restart. */
const retryStrategy = (attempt: number) => Math.min(100 * attempt, 1000);

export function createChatRedis(url: string, events: ChatRedisEvents): ChatRedis {
  const failFast: RedisOptions = { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy };
  const command = new Redis(url, { ...failFast, connectionName: 'chat-command' });
  const pub = new Redis(url, { ...failFast, connectionName: 'chat-pub' });
  const sub = new Redis(url, { retryStrategy, maxRetriesPerRequest: null, connectionName: 'chat-sub' });

  const publish = pub.publish.bind(pub);
  pub.publish = ((...args: Parameters<typeof publish>) =>
    publish(...args).catch((error: Error) => {
      events.onError('pub', error);
      return 0;
    })) as typeof pub.publish;

  // The adapter (un)subscribes without waiting; a refusal (queued behind a failed AUTH, say) is reported, not thrown.
  for (const method of ['subscribe', 'psubscribe', 'unsubscribe', 'punsubscribe'] as const) {
    const subscribe = sub[method].bind(sub) as (...args: unknown[]) => Promise<unknown>;
    sub[method] = ((...args: unknown[]) =>
      subscribe(...args).catch((error: Error) => {
        events.onError('sub', error);
        return 0;
      })) as never;
  }

  const clients = { command, pub, sub };
  const online = () => command.status === 'ready' && pub.status === 'ready' && sub.status === 'ready';
  for (const [name, client] of Object.entries(clients)) {
    client.on('error', (error: Error) => events.onError(name, error));
    client.on('ready', () => {
      if (online()) events.onOnline();
    });
  }
  return {
    command,
    pub,
    sub,
    online,
    status: () => ({ command: command.status, pub: pub.status, sub: sub.status }),
    async close(deadlineMs) {
      await Promise.all(
        Object.values(clients).map(async (c) => {
          if (c.status === 'ready') await until(c.quit(), deadlineMs);
          c.disconnect();
        }),
      );
    },
  };
}
