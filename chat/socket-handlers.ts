import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Server, Socket } from 'socket.io';
import type { z } from 'zod';
import { formatPath } from '../core';
import type { ChatNodeOptions } from './config';
import type { History } from './history';
import type { Outbox } from './outbox';
import {
  payloadSchemas,
  type Ack,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type ChatErrorBody,
  type ChatMessage,
  type ChatPayloads,
  type ErrorCode,
  type JoinReply,
  type Member,
  type SendReply,
} from './protocol';

export interface SocketData {
  /** The display name this socket uses in each room it joined. */
  names: Record<string, string>;
}

export type ChatServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type ChatSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type Reply<T> = (ack: Ack<T>) => void;

export interface ChatContext {
  readonly io: ChatServer;
  readonly options: ChatNodeOptions;
  readonly history: History;
  readonly outbox: Outbox;
  readonly online: () => boolean;
  readonly log: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
}

const KNOWN_EVENTS = new Set(['join', 'message', 'leave']);

/** A request that is refused: the client gets `chat:error` (and its ack), and nothing changes. */
class Refusal extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly retryInMs?: number,
  ) {
    super(message);
    this.name = 'Refusal';
  }
}

/** Wires the chat events of one connection. Every request is rate-limited and validated before it acts. */
export function chatConnectionHandler(ctx: ChatContext): (socket: ChatSocket) => void {
  const schemas = payloadSchemas(ctx.options);
  const limiter = new RateLimiterMemory({ points: ctx.options.rateLimitEvents, duration: ctx.options.rateLimitSeconds });
  const byAddress = new RateLimiterMemory({ points: ctx.options.addressRateLimitEvents, duration: ctx.options.addressRateLimitSeconds });
  const joinsByAddress = new RateLimiterMemory({ points: ctx.options.addressJoinEvents, duration: ctx.options.addressJoinSeconds });

  return (socket) => {
    socket.data.names = {};
    const address = clientAddress(socket.handshake, ctx.options.trustProxy);
    // One socket's requests are answered in the order they came: a join, then a message to its room.
    let previous: Promise<void> = Promise.resolve();
    const handle = <T>(event: keyof ChatPayloads, act: (payload: unknown) => Promise<T>) => {
      socket.on(event, (...args: unknown[]) => {
        previous = previous.then(() => answer(args));
      });
      const answer = async (args: unknown[]) => {
        const ack = takeAck<T>(args);
        try {
          await consume(limiter, socket.id);
          await consume(byAddress, address, 'from your address');
          if (event === 'join') await consume(joinsByAddress, address, 'joins from your address');
          ack?.({ ok: true, ...(await act(args[0])) } as Ack<T>);
        } catch (error) {
          refuse(socket, event, error, ack, ctx);
        }
      };
    };

    handle('join', (payload) => join(ctx, socket, parse(schemas.join, payload)));
    handle('message', (payload) => send(ctx, socket, parse(schemas.message, payload)));
    handle('leave', async (payload) => {
      const { room } = parse(schemas.leave, payload);
      leave(socket, room);
      return { room };
    });
    socket.onAny((event: string, ...args: unknown[]) => {
      if (KNOWN_EVENTS.has(event)) return;
      const ack = takeAck<never>(args);
      refuse(socket, String(event).slice(0, 64), new Refusal('unknown_event', `unknown event; expected one of ${[...KNOWN_EVENTS].join(', ')}`), ack, ctx);
    });
    socket.on('disconnecting', () => {
      for (const room of Object.keys(socket.data.names)) leave(socket, room);
    });
  };
}

async function join(ctx: ChatContext, socket: ChatSocket, request: z.output<ChatPayloads['join']>): Promise<JoinReply> {
  const { room, name, since } = request;
  const isNew = socket.data.names[room] === undefined;
  socket.data.names[room] = name;
  await socket.join(room);
  if (isNew) socket.to(room).emit('presence', { room, joined: { id: socket.id, name } });
  const [members, history] = await Promise.all([
    roomMembers(ctx, room),
    ctx.online()
      ? since === undefined
        ? ctx.history.recent(room, ctx.options.historyOnJoin)
        : ctx.history.since(room, since)
      : Promise.resolve([]),
  ]);
  return { room, members, history };
}

async function send(ctx: ChatContext, socket: ChatSocket, request: z.output<ChatPayloads['message']>): Promise<SendReply> {
  const { room, text, id } = request;
  const name = socket.data.names[room];
  if (name === undefined) throw new Refusal('not_joined', `join room ${JSON.stringify(room)} before sending to it`);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > ctx.options.maxMessageBytes) throw new Refusal('too_large', `text is ${bytes} bytes; the limit is ${ctx.options.maxMessageBytes}`);
  if (text.trim() === '') throw new Refusal('invalid_payload', 'text: must not be empty');
  const message: ChatMessage = { id: id ?? randomUUID(), room, name, text, at: Date.now() };
  return ctx.outbox.accept(message);
}

function leave(socket: ChatSocket, room: string): void {
  const name = socket.data.names[room];
  if (name === undefined) return;
  delete socket.data.names[room];
  socket.to(room).emit('presence', { room, left: { id: socket.id, name } });
  void socket.leave(room);
}

/** Who is in the room on every node; only this node's members while Redis is down. */
async function roomMembers(ctx: ChatContext, room: string): Promise<Member[]> {
  const sockets = ctx.online()
    ? await ctx.io.in(room).fetchSockets().catch(() => ctx.io.local.in(room).fetchSockets())
    : await ctx.io.local.in(room).fetchSockets();
  return sockets.flatMap((s) => {
    const name = s.data.names?.[room];
    return name === undefined ? [] : [{ id: s.id, name }];
  });
}

/** socket.io passes the acknowledgement callback, when the client asked for one, as the last argument. */
function takeAck<T>(args: unknown[]): Reply<T> | undefined {
  return typeof args.at(-1) === 'function' ? (args.pop() as Reply<T>) : undefined;
}

function parse<S extends z.ZodType>(schema: S, payload: unknown): z.output<S> {
  const result = schema.safeParse(payload);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => (i.path.length > 0 ? `${formatPath(i.path)}: ${i.message}` : i.message));
  throw new Refusal('invalid_payload', problems.join('; '));
}

/** The client's address: the peer's, or behind a trusted load balancer the address it appended. */
export function clientAddress(request: { readonly headers: IncomingHttpHeaders; readonly address: string | undefined }, trustProxy: boolean): string {
  const forwarded = request.headers['x-forwarded-for'];
  const last = (Array.isArray(forwarded) ? forwarded.join(',') : forwarded)?.split(',').pop()?.trim();
  return trustProxy && last ? last : (request.address ?? 'unknown');
}

async function consume(limiter: RateLimiterMemory, key: string, whose = ''): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw new Refusal('rate_limited', `too many requests${whose ? ` ${whose}` : ''}; retry in ${error.msBeforeNext} ms`, error.msBeforeNext);
    throw error;
  }
}

/**
 * Decides, before the handshake completes, whether an address may open another connection: undefined to
 * accept, or the refusal (with when to try again).
 */
export function connectionLimit(options: Pick<ChatNodeOptions, 'addressConnectEvents' | 'addressConnectSeconds'>): (address: string) => Promise<string | undefined> {
  const limiter = new RateLimiterMemory({ points: options.addressConnectEvents, duration: options.addressConnectSeconds });
  return async (address) => {
    try {
      await limiter.consume(address);
      return undefined;
    } catch (error) {
      if (error instanceof RateLimiterRes) return `too many connections from your address; retry in ${error.msBeforeNext} ms`;
      throw error;
    }
  };
}

function refuse(socket: ChatSocket, event: string, error: unknown, ack: Reply<never> | undefined, ctx: ChatContext): void {
  const body: ChatErrorBody =
    error instanceof Refusal
      ? { event, code: error.code, message: error.message, ...(error.retryInMs === undefined ? {} : { retryInMs: error.retryInMs }) }
      : { event, code: 'unavailable', message: 'the server could not complete the request; try again' };
  if (!(error instanceof Refusal)) ctx.log('error', 'request failed', { event, socket: socket.id, error: String(error) });
  socket.emit('chat:error', body);
  ack?.({ ok: false, error: body });
}
