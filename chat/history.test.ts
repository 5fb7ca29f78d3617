import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisServer } from '../test-support/redis-server';
import { HistoryStore } from './history';
import type { ChatMessage } from './protocol';

describe('room history on a real Redis', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await RedisServer.start();
  });
  afterAll(() => redis.dispose());

  const messages = (room: string, count: number, from = 0): ChatMessage[] =>
    Array.from({ length: count }, (_, i) => ({ id: `${room}-${from + i}`, room, name: 'busy', text: `#${from + i}`, at: Date.now() }));

  it('a rejoin gets every message after `since`, however many a busy room stored (no fixed window)', async () => {
    const client = redis.client();
    try {
      const store = new HistoryStore(client, 100_000);
      await store.append(messages('busy', 1_800));
      const sinceMs = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 5));
      await store.append(messages('busy', 1_200, 1_800));
      // The margin reaches back over the first batch too; what matters is that nothing after `since` is cut.
      const ids = (await store.since('busy', sinceMs)).map((m) => m.id);
      expect(ids.slice(-1_200)).toEqual(messages('busy', 1_200, 1_800).map((m) => m.id));
      expect(ids).toHaveLength(3_000);
    } finally {
      client.disconnect();
    }
  });
});
