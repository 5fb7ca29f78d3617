import type { ChatMessage, SendReply } from './protocol';

export interface OutboxPorts {
  /** Stores a batch in order (Redis). Rejects when the store is unreachable. */
  persist(batch: readonly ChatMessage[]): Promise<void>;
  /** Sends to every member of the room on every node, except the given sockets. */
  broadcast(message: ChatMessage, except: readonly string[]): void;
  /** Sends to the room's members on this node only; returns who got it. */
  deliverLocally(message: ChatMessage): string[];
  /** Whether Redis is connected right now. */
  isOnline(): boolean;
  onError(error: unknown, pending: number): void;
}

interface Item {
  readonly message: ChatMessage;
  /** Set once delivered on this node ahead of storage, while Redis was down. */
  localRecipients?: string[];
  readonly settle: (reply: SendReply) => void;
  settled: boolean;
}

const BATCH = 200;
const RETRY_MS = 250;

/**
 * Every accepted message passes through here, in acceptance order. While Redis is up a message is
 * stored, then broadcast, then acknowledged. While it is down the message is delivered to this node's
 * clients at once, acknowledged as queued, and stored and sent to the other nodes when Redis returns.
 * A message that went local-first is never delivered locally again, and order per sender holds because
 * the queue is strictly first-in first-out.
 */
export class Outbox {
  private readonly queue: Item[] = [];
  private running = false;
  private pumpAgain = false;
  private readonly idleWaiters = new Set<() => void>();
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly ports: OutboxPorts) {}

  get pending(): number {
    return this.queue.length;
  }

  accept(message: ChatMessage): Promise<SendReply> {
    return new Promise((settle) => {
      this.queue.push({ message, settle, settled: false });
      if (this.ports.isOnline()) this.pump();
      else this.goLocal();
    });
  }

  /** Redis is back: store and broadcast what waited. */
  resume(): void {
    this.pump();
  }

  /** Resolves with the number of messages still unsaved when the queue empties or the deadline passes. */
  async flush(deadlineMs: number): Promise<number> {
    this.pump();
    while (this.queue.length > 0) {
      const left = deadlineMs - Date.now();
      if (left <= 0) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(left, RETRY_MS));
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.idleWaiters.add(done);
      });
    }
    return this.queue.length;
  }

  close(): void {
    clearTimeout(this.retryTimer);
  }

  /** Delivers on this node, in queue order, every message not yet delivered here, and acknowledges it. */
  private goLocal(): void {
    for (const item of this.queue) {
      if (item.localRecipients !== undefined) continue;
      item.localRecipients = this.ports.deliverLocally(item.message);
      settle(item, { id: item.message.id, queued: true });
    }
  }

  private pump(): void {
    if (this.running) {
      // Asked while a run is in flight (Redis came back, say): run again once it ends.
      this.pumpAgain = true;
      return;
    }
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.running = true;
    void this.drainQueue().finally(() => {
      this.running = false;
      for (const wake of this.idleWaiters) wake();
      this.idleWaiters.clear();
      const again = this.pumpAgain;
      this.pumpAgain = false;
      if (again && this.queue.length > 0) this.pump();
    });
  }

  private async drainQueue(): Promise<void> {
    while (this.queue.length > 0) {
      if (!this.ports.isOnline()) {
        this.goLocal();
        return;
      }
      const batch = this.queue.slice(0, BATCH);
      try {
        await this.ports.persist(batch.map((item) => item.message));
      } catch (error) {
        this.ports.onError(error, this.queue.length);
        this.goLocal();
        this.retryTimer = setTimeout(() => this.pump(), RETRY_MS);
        return;
      }
      this.queue.splice(0, batch.length);
      for (const item of batch) {
        this.ports.broadcast(item.message, item.localRecipients ?? []);
        settle(item, { id: item.message.id, queued: false });
      }
    }
  }
}

function settle(item: Item, reply: SendReply): void {
  if (item.settled) return;
  item.settled = true;
  item.settle(reply);
}
