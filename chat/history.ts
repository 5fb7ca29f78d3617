import type { Redis } from 'ioredis';
import type { ChatMessage } from './protocol';

/** How far before `since` a rejoin looks, so a message that crossed nodes late is not missed. */
const SINCE_MARGIN_MS = 10_000;
const SINCE_LIMIT = 500;

export const historyKey = (room: string) => `chat:history:${room}`;

/** A room's messages in a Redis Stream, capped near `maxLength` entries. */
export class HistoryStore {
  constructor(
    private readonly redis: Redis,
    private readonly maxLength: number,
  ) {}

  /** Appends in order, in one round trip. A retried batch may store a message twice; reads drop repeats. */
  async append(messages: readonly ChatMessage[]): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const m of messages) pipeline.xadd(historyKey(m.room), 'MAXLEN', '~', this.maxLength, '*', 'm', JSON.stringify(m));
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([error]) => error !== null);
    if (failed) throw failed[0];
  }

  /** The newest `count` messages, oldest first. */
  async recent(room: string, count: number): Promise<ChatMessage[]> {
    if (count === 0) return [];
    const entries = await this.redis.xrevrange(historyKey(room), '+', '-', 'COUNT', count);
    return unique(entries.reverse());
  }

  /** Messages stored since `sinceMs` (less a margin), oldest first: what a rejoining client missed. */
  async since(room: string, sinceMs: number): Promise<ChatMessage[]> {
    const from = Math.max(0, sinceMs - SINCE_MARGIN_MS);
    const entries = await this.redis.xrange(historyKey(room), `${from}-0`, '+', 'COUNT', SINCE_LIMIT);
    return unique(entries);
  }
}

function unique(entries: [id: string, fields: string[]][]): ChatMessage[] {
  const seen = new Set<string>();
  const messages: ChatMessage[] = [];
  for (const [, fields] of entries) {
    const message = JSON.parse(fields[1] ?? 'null') as ChatMessage | null;
    if (message === null || seen.has(message.id)) continue;
    seen.add(message.id);
    messages.push(message);
  }
  return messages;
}
