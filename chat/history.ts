import type { Redis } from 'ioredis';
import type { ChatMessage } from './protocol';

/** How far before `since` a rejoin looks, so a message that crossed nodes late is not missed. */
export const SINCE_MARGIN_MS = 10_000;
/** Entries read per round trip while paging forward from `since`. */
const SINCE_PAGE = 500;
/** The most a rejoin is sent: past this, the gap is older than any drain or outage it is for. */
export const SINCE_MAX = 20_000;

/** Where a room's messages are kept for joins and rejoins: Redis, or the cluster primary in local mode. */
export interface History {
  /** Appends in order. A retried batch may store a message twice; reads drop repeats. */
  append(messages: readonly ChatMessage[]): Promise<void>;
  /** The newest `count` messages, oldest first. */
  recent(room: string, count: number): Promise<ChatMessage[]>;
  /** Every message stored after `sinceMs` (less SINCE_MARGIN_MS), oldest first, at most SINCE_MAX. */
  since(room: string, sinceMs: number): Promise<ChatMessage[]>;
}

export const historyKey = (room: string) => `chat:history:${room}`;

/** A room's messages in a Redis Stream, capped near `maxLength` entries. */
export class HistoryStore implements History {
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

  /**
   * Every message stored after `sinceMs` (less a margin), oldest first: what a rejoining client missed.
   * It pages forward to the newest entry, so a busy room's gap is sent whole, however many messages it
   * holds (up to SINCE_MAX, the newest of them when there are more).
   */
  async since(room: string, sinceMs: number): Promise<ChatMessage[]> {
    const entries: [id: string, fields: string[]][] = [];
    let start = `${Math.max(0, sinceMs - SINCE_MARGIN_MS)}-0`;
    for (;;) {
      const page = await this.redis.xrange(historyKey(room), start, '+', 'COUNT', SINCE_PAGE);
      entries.push(...page);
      if (page.length < SINCE_PAGE) break;
      start = `(${page[page.length - 1]![0]}`;
      if (entries.length > SINCE_MAX) entries.splice(0, entries.length - SINCE_MAX);
    }
    return unique(entries);
  }
}

function unique(entries: [id: string, fields: string[]][]): ChatMessage[] {
  return uniqueMessages(entries.map(([, fields]) => JSON.parse(fields[1] ?? 'null') as ChatMessage | null));
}

/** Each message once (by id), in order: a retried append may have stored one twice. */
export function uniqueMessages(stored: ReadonlyArray<ChatMessage | null>): ChatMessage[] {
  const seen = new Set<string>();
  const messages: ChatMessage[] = [];
  for (const message of stored) {
    if (message === null || seen.has(message.id)) continue;
    seen.add(message.id);
    messages.push(message);
  }
  return messages;
}
