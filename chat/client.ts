import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { io, type Socket } from 'socket.io-client';
import type { Ack, ChatErrorBody, ChatMessage, ClientToServerEvents, DrainNotice, JoinReply, Member, PresenceEvent, SendReply, ServerToClientEvents } from './protocol';

export interface ChatClientOptions {
  /** Nodes to use, first one first. On a drain the client moves to another; behind a load balancer, give one URL. */
  readonly urls: readonly string[];
  readonly name: string;
  /** Give up on a request after this long (default 10 s). */
  readonly timeoutMs?: number;
  /** Only for tests of the origin check. */
  readonly extraHeaders?: Record<string, string>;
}

interface RoomState {
  pendingJoin: boolean;
  /** Live messages that arrived while a (re)join was in flight; merged with its history. */
  buffer: ChatMessage[];
  seen: Set<string>;
  newestAt: number;
  members: Map<string, string>;
}

export interface Delivery {
  /** Came with a (re)join's history rather than live. */
  readonly fromHistory: boolean;
}

export interface ChatClientEvents {
  message: [ChatMessage, Delivery];
  presence: [PresenceEvent];
  error: [ChatErrorBody];
  moved: [{ from: string; to: string }];
  disconnected: [string];
  /** A rejoin after a move or a resync failed for good: the client is connected but no longer in `room`. */
  'rejoin-failed': [{ room: string; error: string }];
}

/** How long a rejoin refused for its rate keeps being retried, at the moments the server names. */
const REJOIN_RETRY_MS = 60_000;

const SEEN_LIMIT = 5000;

/**
 * A chat client that keeps its rooms across node changes. On `drain` it waits the moment the node
 * picked, then moves to another URL and rejoins with `since`, so it gets what it missed; on `resync` it
 * rejoins in place, for the same reason. Messages are
 * delivered once each (by id), and a rejoin's history is merged with live messages in order.
 * A send that loses its connection before the ack is retried with the same id.
 */
export class ChatClient extends EventEmitter<ChatClientEvents> {
  private socket: Socket<ServerToClientEvents, ClientToServerEvents> | undefined;
  private urlIndex = 0;
  private readonly rooms = new Map<string, RoomState>();
  private closed = false;
  private moving: NodeJS.Timeout | undefined;
  /** Settles once connected and, after a move, rejoined: requests wait for it. */
  private link: Promise<void> | undefined;
  /** How many times this client has moved to another node. */
  moves = 0;

  constructor(private readonly options: ChatClientOptions) {
    super();
    if (options.urls.length === 0) throw new Error('ChatClient needs at least one URL');
  }

  get url(): string {
    return this.options.urls[this.urlIndex]!;
  }

  get isConnected(): boolean {
    return this.socket?.connected ?? false;
  }

  connect(): Promise<void> {
    this.link ??= this.open(this.url);
    return this.link;
  }

  async join(room: string): Promise<JoinReply> {
    if (!this.rooms.has(room)) this.rooms.set(room, { pendingJoin: false, buffer: [], seen: new Set(), newestAt: 0, members: new Map() });
    return this.rejoin(room);
  }

  members(room: string): Member[] {
    return [...(this.rooms.get(room)?.members ?? new Map<string, string>())].map(([id, name]) => ({ id, name }));
  }

  /** Sends a message; resolves with the server's acceptance. Retries with the same id across reconnects. */
  async send(room: string, text: string, id: string = randomUUID()): Promise<SendReply> {
    const deadline = Date.now() + this.timeout;
    for (;;) {
      try {
        return await this.request<SendReply>(await this.currentSocket(), 'message', { room, text, id });
      } catch (error) {
        if (!(error instanceof ConnectionLost) || Date.now() > deadline || this.closed) throw error;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  }

  async leave(room: string): Promise<void> {
    this.rooms.delete(room);
    await this.request(await this.currentSocket(), 'leave', { room });
  }

  /** Sends any event with any payload and returns the raw ack: for tests of bad input. */
  async raw(event: string, ...args: unknown[]): Promise<unknown> {
    const socket = await this.currentSocket();
    return new Promise((resolve, reject) => {
      (socket.timeout(this.timeout).emit as (...a: unknown[]) => void)(event, ...args, (error: Error | null, reply: unknown) => (error ? reject(error) : resolve(reply)));
    });
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.moving);
    this.socket?.disconnect();
    this.socket?.removeAllListeners();
  }

  private get timeout(): number {
    return this.options.timeoutMs ?? 10_000;
  }

  private async rejoin(room: string, moving = false): Promise<JoinReply> {
    const state = this.rooms.get(room)!;
    state.pendingJoin = true;
    try {
      const reply = await this.request<JoinReply>(moving ? this.socket : await this.currentSocket(), 'join', { room, name: this.options.name, ...(state.newestAt > 0 ? { since: state.newestAt } : {}) });
      state.members = new Map(reply.members.map((m) => [m.id, m.name]));
      const fromHistory = new Set(reply.history.map((m) => m.id));
      const merged = [...reply.history, ...state.buffer].sort((a, b) => a.at - b.at);
      state.buffer = [];
      state.pendingJoin = false;
      for (const message of merged) this.deliver(state, message, fromHistory.has(message.id));
      return reply;
    } finally {
      state.pendingJoin = false;
    }
  }

  /**
   * Rejoins a room after a move or a resync. A refusal for rate is retried after the wait the server
   * names (with a little jitter, so a crowd behind one address does not return at one instant); a
   * rejoin that fails for good is reported as `rejoin-failed`, never dropped in silence.
   */
  private async rejoinOrReport(room: string, moving: boolean): Promise<void> {
    const deadline = Date.now() + REJOIN_RETRY_MS;
    for (;;) {
      const socket = this.socket;
      try {
        await this.rejoin(room, moving);
        return;
      } catch (error) {
        const wait = error instanceof ChatRequestError && error.body.code === 'rate_limited' ? (error.body.retryInMs ?? 1000) * (1 + Math.random() / 4) : undefined;
        // Gone, left, or moved on meanwhile: the next link rejoins it, or nobody wants it any more.
        if (this.closed || !this.rooms.has(room) || this.socket !== socket) return;
        if (wait === undefined || Date.now() + wait > deadline) {
          this.emit('rejoin-failed', { room, error: error instanceof Error ? error.message : String(error) });
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  private deliver(state: RoomState, message: ChatMessage, fromHistory: boolean): void {
    if (state.seen.has(message.id)) return;
    state.seen.add(message.id);
    if (state.seen.size > SEEN_LIMIT) state.seen.delete(state.seen.values().next().value!);
    state.newestAt = Math.max(state.newestAt, message.at);
    this.emit('message', message, { fromHistory });
  }

  private request<T>(socket: Socket<ServerToClientEvents, ClientToServerEvents> | undefined, event: 'join' | 'message' | 'leave', payload: unknown): Promise<T> {
    if (socket === undefined) return Promise.reject(new ConnectionLost('not connected'));
    return new Promise<T>((resolve, reject) => {
      const lost = () => reject(new ConnectionLost(`connection to ${this.url} lost before ${event} was answered`));
      socket.once('disconnect', lost);
      socket.timeout(this.timeout).emit(event, payload, (error: Error | null, reply: Ack<T>) => {
        socket.off('disconnect', lost);
        if (error) return reject(socket.connected ? error : new ConnectionLost(error.message));
        if (!reply.ok) return reject(new ChatRequestError(reply.error));
        resolve(reply as T);
      });
    });
  }

  private async currentSocket() {
    if (this.link === undefined) throw new Error('call connect() first');
    await this.link;
    if (this.socket === undefined) throw new ConnectionLost('not connected');
    return this.socket;
  }

  private open(url: string): Promise<void> {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      timeout: this.timeout,
      ...(this.options.extraHeaders ? { extraHeaders: this.options.extraHeaders } : {}),
    });
    this.socket = socket;
    socket.on('message', (message) => {
      const state = this.rooms.get(message.room);
      if (state === undefined) return;
      if (state.pendingJoin) state.buffer.push(message);
      else this.deliver(state, message, false);
    });
    socket.on('presence', (event) => {
      const state = this.rooms.get(event.room);
      if (event.joined) state?.members.set(event.joined.id, event.joined.name);
      if (event.left) state?.members.delete(event.left.id);
      this.emit('presence', event);
    });
    socket.on('chat:error', (error) => {
      if (this.listenerCount('error') > 0) this.emit('error', error);
    });
    socket.on('resync', (notice) => {
      setTimeout(() => {
        if (this.socket !== socket || this.closed) return;
        for (const room of this.rooms.keys()) void this.rejoinOrReport(room, false);
      }, notice.rejoinInMs);
    });
    socket.on('drain', (notice: DrainNotice) => {
      clearTimeout(this.moving);
      this.moving = setTimeout(() => void this.moveTo(this.nextUrl()), notice.reconnectInMs);
    });
    socket.on('disconnect', (reason) => {
      this.emit('disconnected', reason);
      // The server went away without a drain (a crash, a kill): try the next node.
      if (!this.closed && this.socket === socket && reason !== 'io client disconnect') void this.moveTo(this.nextUrl());
    });
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error) => reject(new ConnectionLost(`cannot connect to ${url}: ${error.message}`)));
    });
  }

  private nextUrl(): number {
    return this.options.urls.length === 1 ? 0 : (this.urlIndex + 1) % this.options.urls.length;
  }

  /** Leaves the current node and rejoins every room on another one, retrying the others until one takes us. */
  private async moveTo(index: number): Promise<void> {
    const from = this.url;
    const old = this.socket;
    let linked!: () => void;
    this.link = new Promise((resolve) => (linked = resolve));
    this.socket = undefined;
    old?.removeAllListeners();
    old?.disconnect();
    let attempt = 0;
    this.urlIndex = index;
    while (!this.closed) {
      try {
        await this.open(this.url);
        break;
      } catch {
        const failed = this.socket as Socket | undefined;
        failed?.removeAllListeners();
        failed?.disconnect();
        this.urlIndex = this.nextUrl();
        await new Promise((resolve) => setTimeout(resolve, Math.min(50 * 2 ** attempt++, 1000) * (0.5 + Math.random())));
      }
    }
    if (this.closed) return;
    this.moves++;
    await Promise.all([...this.rooms.keys()].map((room) => this.rejoinOrReport(room, true)));
    linked();
    this.emit('moved', { from, to: this.url });
  }
}

/** The connection dropped before the server answered: the request may or may not have been applied. */
export class ConnectionLost extends Error {
  override name = 'ConnectionLost';
}

/** The server refused a request. */
export class ChatRequestError extends Error {
  override name = 'ChatRequestError';
  constructor(readonly body: ChatErrorBody) {
    super(`${body.code}: ${body.message}`);
  }
}
