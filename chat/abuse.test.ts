import type { Redis } from 'ioredis';
import { io as connectRaw } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../core';
import { InProcessChat } from '../test-support/in-process-chat';
import { RedisServer } from '../test-support/redis-server';
import type { ChatNodeInput } from './config';
import { ChatClient, type ChatRequestError } from './client';
import { historyKey } from './history';
import { startChatNode, type ChatNode } from './node';
import type { ChatErrorBody } from './protocol';
import { collect, eventually, quietLogger } from './testing';

const ALLOWED_ORIGIN = 'https://chat.example.com';

describe('a chat node facing bad input and abuse', () => {
  let redisServer: RedisServer;
  let redis: Redis;
  let node: ChatNode;
  const clients: ChatClient[] = [];
  const client = async (name: string, headers?: Record<string, string>) => {
    const c = new ChatClient({ urls: [node.url], name, timeoutMs: 3000, ...(headers ? { extraHeaders: headers } : {}) });
    clients.push(c);
    await c.connect();
    return c;
  };

  beforeAll(async () => {
    redisServer = await RedisServer.start();
    redis = redisServer.client();
    node = await startChatNode(
      { port: 0, host: '127.0.0.1', redisUrl: redisServer.url, maxMessageBytes: 100, maxNameLength: 12, rateLimitEvents: 50, rateLimitSeconds: 10, addressRateLimitEvents: 100_000, allowedOrigins: [ALLOWED_ORIGIN] },
      { logger: quietLogger() },
    );
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await node.close();
    redis.disconnect();
    await redisServer.dispose();
  });

  it('refuses an oversized message with an error event, and stores and sends nothing', async () => {
    const [sender, listener] = [await client('big'), await client('ear')];
    await sender.join('limits');
    await listener.join('limits');
    const heard = collect(listener);
    const errors: ChatErrorBody[] = [];
    sender.on('error', (e) => errors.push(e));

    await expect(sender.send('limits', 'é'.repeat(51))).rejects.toThrow(/too_large: text is 102 bytes; the limit is 100/);
    await sender.send('limits', 'small');

    // Sent after the refused one on the same socket, so once it is here the refused one would be too.
    await eventually(() => expect(heard.map((m) => m.text)).toEqual(['small']));
    expect(await redis.xlen(historyKey('limits'))).toBe(1);
    expect(errors).toEqual([{ event: 'message', code: 'too_large', message: 'text is 102 bytes; the limit is 100' }]);
  });

  const malformed: [string, string, unknown[], RegExp][] = [
    ['a join that is not an object', 'join', ['lobby'], /expected object/],
    ['a join with no payload', 'join', [], /expected object/],
    ['a room with spaces', 'join', [{ room: 'no spaces!', name: 'x' }], /room: must be 1-64 letters/],
    ['a display name too long', 'join', [{ room: 'lobby', name: 'x'.repeat(13) }], /name: must be at most 12 characters/],
    ['a blank display name', 'join', [{ room: 'lobby', name: '   ' }], /name: must not be empty/],
    ['a display name with control characters', 'join', [{ room: 'lobby', name: 'a\u0007b' }], /name: must not contain control characters/],
    ['a display name of zero-width characters only', 'join', [{ room: 'lobby', name: '\u200b\u200c\u200d\u2060\ufeff' }], /name: must contain a visible character/],
    ['a display name that reverses the text after it (U+202E)', 'join', [{ room: 'lobby', name: 'evil\u202Etxt.exe' }], /name: must not contain characters that reverse the text around them/],
    ['a message with a NUL', 'message', [{ room: 'lobby', text: 'a\u0000b' }], /text: must not contain control characters/],
    ['a message with an escape sequence', 'message', [{ room: 'lobby', text: '\u001b[2Jcleared' }], /text: must not contain control characters/],
    ['an unknown key', 'join', [{ room: 'lobby', name: 'x', admin: true }], /Unrecognized key/],
    ['a message whose text is a number', 'message', [{ room: 'lobby', text: 5 }], /text: Invalid input/],
    ['a message with a malformed id', 'message', [{ room: 'lobby', text: 'x', id: '../../' }], /id: must be 8-64/],
    ['a message to a room not joined', 'message', [{ room: 'nowhere', text: 'hi' }], /join room "nowhere" before sending/],
    ['an empty message', 'message', [{ room: 'lobby', text: '  ' }], /text: must not be empty/],
    ['an unknown event', 'shutdown', [{}], /unknown event/],
  ];

  it.each(malformed)('refuses %s with an error and keeps serving', async (_, event, args, expected) => {
    const c = await client('tester');
    await c.join('lobby');
    const reply = (await c.raw(event, ...args)) as { ok: boolean; error: ChatErrorBody };
    expect(reply.ok).toBe(false);
    expect(reply.error.event).toBe(event);
    expect(reply.error.message).toMatch(expected);
    await expect(c.send('lobby', 'still here')).resolves.toMatchObject({ queued: false });
  });

  it('rate-limits each socket on its own', async () => {
    const [noisy, quiet] = [await client('noisy'), await client('quiet')];
    await noisy.join('rate');
    await quiet.join('rate');
    const outcomes = await Promise.allSettled(Array.from({ length: 60 }, (_, i) => noisy.send('rate', `spam ${i}`)));
    const refused = outcomes.filter((o) => o.status === 'rejected').map((o) => (o.reason as ChatRequestError).body.code);
    expect(refused.length).toBeGreaterThanOrEqual(11);
    expect(new Set(refused)).toEqual(new Set(['rate_limited']));
    await expect(quiet.send('rate', 'my turn')).resolves.toMatchObject({ queued: false });
  });

  it('keeps the newlines and tabs a person types in a message', async () => {
    const c = await client('typist');
    await c.join('lobby');
    await expect(c.send('lobby', 'line one\n\tindented')).resolves.toMatchObject({ queued: false });
  });

  it('cuts a frame above the transport limit without harming other clients', async () => {
    const bystander = await client('bystander');
    const raw = connectRaw(node.url, { transports: ['websocket'], reconnection: false, forceNew: true });
    await new Promise((resolve) => raw.once('connect', () => resolve(undefined)));
    const reason = new Promise<string>((resolve) => raw.once('disconnect', resolve));
    raw.emit('message', { room: 'lobby', text: 'x'.repeat(1024 * 1024) });
    expect(await reason).toBe('transport close');
    await bystander.join('lobby');
    await expect(bystander.send('lobby', 'fine')).resolves.toMatchObject({ queued: false });
  });

  it('accepts browsers from configured origins and from its own page, and no other', async () => {
    await expect(client('allowed', { origin: ALLOWED_ORIGIN })).resolves.toBeInstanceOf(ChatClient);
    await expect(client('same-page', { origin: node.url })).resolves.toBeInstanceOf(ChatClient);
    await expect(client('evil', { origin: 'https://evil.example' })).rejects.toThrow(/cannot connect/);
    const preflight = await fetch(`${node.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: ALLOWED_ORIGIN } });
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
  });

  it('refuses invalid options, listing every problem, before it listens', async () => {
    const attempt = startChatNode({ port: -1, redisUrl: 'http://redis', drainWindowSeconds: 40, stopTimeoutSeconds: 30 } as never, { logger: quietLogger() });
    await expect(attempt).rejects.toBeInstanceOf(ConfigError);
    await expect(attempt).rejects.toThrow(/port[\s\S]*redisUrl: must start with redis:\/\/[\s\S]*drainWindowSeconds/);
  });
});

describe('the per-address rate limit', () => {
  let chat: InProcessChat;
  beforeAll(async () => {
    chat = await InProcessChat.start();
  });
  afterAll(() => chat.dispose());
  const nodeWith = (options: Partial<ChatNodeInput>) =>
    chat.node({ rateLimitEvents: 10, rateLimitSeconds: 10, addressRateLimitEvents: 30, addressRateLimitSeconds: 10, ...options });
  const connected = async (node: ChatNode, name: string, headers?: Record<string, string>) => {
    const c = chat.client([node.url], name, { timeoutMs: 3000, ...(headers ? { extraHeaders: headers } : {}) });
    await c.connect();
    return c;
  };

  it('many sockets from one client share one budget: 10 sockets of 10 requests each get 30 through, not 100', async () => {
    const node = await nodeWith({});
    const sockets = await Promise.all(Array.from({ length: 10 }, (_, i) => connected(node, `bot${i}`)));
    const outcomes = await Promise.allSettled(sockets.flatMap((s) => Array.from({ length: 10 }, (_, k) => (k === 0 ? s.join('flood') : s.send('flood', `spam ${k}`)))));
    const accepted = outcomes.filter((o) => o.status === 'fulfilled').length;
    expect(accepted).toBe(30);
    const refusals = outcomes.flatMap((o) => (o.status === 'rejected' ? [(o.reason as ChatRequestError).body] : []));
    expect(new Set(refusals.map((r) => r.code))).toEqual(new Set(['rate_limited']));
    expect(refusals[0]!.message).toMatch(/^too many requests from your address; retry in \d+ ms$/);
  });

  it('behind a trusted load balancer, clients are told apart by the address it appends to X-Forwarded-For', async () => {
    const node = await nodeWith({ trustProxy: true, addressRateLimitEvents: 12 });
    // Each claims 6.6.6.6 first; the load balancer's own entry, last, is what counts.
    const [a, b] = [await connected(node, 'a', { 'x-forwarded-for': '6.6.6.6, 198.51.100.1' }), await connected(node, 'b', { 'x-forwarded-for': '6.6.6.6, 198.51.100.2' })];
    await a.join('apart');
    await b.join('apart');
    const send = (c: ChatClient) => Promise.allSettled(Array.from({ length: 9 }, (_, i) => c.send('apart', `#${i}`)));
    const [fromA, fromB] = [await send(a), await send(b)];
    // Ten requests each fit a budget of 12 per address; had they shared one (20 from 127.0.0.1), 8 would be refused.
    expect([fromA, fromB].map((all) => all.filter((o) => o.status === 'fulfilled').length)).toEqual([9, 9]);
  });
});
