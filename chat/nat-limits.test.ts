import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessChat } from '../test-support/in-process-chat';
import type { ChatRequestError } from './client';
import type { ChatNodeInput } from './config';
import { collect, eventually, handshake } from './testing';

// Every client here comes from 127.0.0.1: the users of one office or one carrier-grade NAT.
describe('users behind one address', () => {
  let fixture: InProcessChat;
  beforeAll(async () => {
    fixture = await InProcessChat.start();
  });
  afterAll(() => fixture.dispose());
  const node = (options: Partial<ChatNodeInput> = {}) => fixture.node(options);
  const client = (urls: string[], name: string) => fixture.client(urls, name, { timeoutMs: 20_000 });

  it('200 clients, each sending a message every 10 s, are never refused at the default limits', async () => {
    const chat = await node();
    const crowd = Array.from({ length: 200 }, (_, i) => client([chat.url], `user${i}`));
    await Promise.all(crowd.map((c) => c.connect()));
    await Promise.all(crowd.map((c) => c.join('office')));
    const refused: unknown[] = [];
    // Two rounds of 10 s; each client sends at its own moment in each round, as people do.
    const sends = crowd.flatMap((c, i) =>
      [0, 1].map(async (round) => {
        await new Promise((resolve) => setTimeout(resolve, round * 10_000 + ((i * 10_000) / crowd.length)));
        await c.send('office', `round ${round} from ${i}`).catch((error: unknown) => refused.push(error));
      }),
    );
    await Promise.all(sends);
    expect(refused).toEqual([]);
  }, 120_000);

  it('a flood from one socket is still refused at the default limits, with when to retry', async () => {
    const chat = await node();
    const flooder = client([chat.url], 'flood');
    await flooder.connect();
    await flooder.join('flood');
    const outcomes = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => flooder.send('flood', `spam ${i}`)));
    const refusals = outcomes.flatMap((o) => (o.status === 'rejected' ? [(o.reason as ChatRequestError).body] : []));
    expect(refusals.length).toBeGreaterThanOrEqual(20);
    expect(refusals[0]).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/^too many requests; retry in \d+ ms$/), retryInMs: expect.any(Number) });
  });

  it('connection attempts beyond the address limit are refused before the handshake', async () => {
    const chat = await node({ addressConnectEvents: 3, addressConnectSeconds: 60 });
    const attempt = () => handshake(chat.url);
    const results: string[] = [];
    for (let i = 0; i < 5; i++) results.push(await attempt());
    expect(results.slice(0, 3)).toEqual(['accepted', 'accepted', 'accepted']);
    for (const refused of results.slice(3)) expect(refused).toMatch(/^403 too many connections from your address; retry in \d+ ms$/);
  });

  it('joins beyond the address limit are refused, while messages from the same address still go through', async () => {
    const chat = await node({ addressJoinEvents: 2, addressJoinSeconds: 60 });
    const [a, b] = [client([chat.url], 'a'), client([chat.url], 'b')];
    await Promise.all([a.connect(), b.connect()]);
    await a.join('r1');
    await a.join('r2');
    await expect(b.join('r1')).rejects.toThrow(/^rate_limited: too many requests joins from your address; retry in \d+ ms$/);
    await expect(a.send('r1', 'still here')).resolves.toMatchObject({ ok: true });
  });

  describe('a rejoin refused for its rate after a drain moves a client', () => {
    const pair = async (join: Partial<ChatNodeInput>) => {
      const drainOptions = { drainWindowSeconds: 0.2, stopTimeoutSeconds: 10 };
      const [from, to] = [await node(drainOptions), await node({ ...drainOptions, ...join })];
      const listener = client([from.url, to.url], 'ear');
      const talker = client([to.url], 'mouth');
      await Promise.all([listener.connect(), talker.connect()]);
      await listener.join('room');
      // The talker uses up the new node's join budget for this address: the listener's rejoin is refused.
      await talker.join('room');
      return { from, listener, talker };
    };

    it('is retried when the server says, and the moved client hears what is said after', async () => {
      const { from, listener, talker } = await pair({ addressJoinEvents: 1, addressJoinSeconds: 2 });
      const heard = collect(listener);
      const failures: unknown[] = [];
      listener.on('rejoin-failed', (f) => failures.push(f));
      const moved = new Promise((resolve) => listener.once('moved', resolve));
      void from.drain();
      await moved;
      for (const text of ['one', 'two', 'three']) await talker.send('room', text);
      await eventually(() => expect(heard.map((m) => m.text)).toEqual(['one', 'two', 'three']), 20_000);
      expect(failures).toEqual([]);
    });

    it('that fails for good is reported as rejoin-failed, never dropped in silence', async () => {
      const { from, listener } = await pair({ addressJoinEvents: 1, addressJoinSeconds: 600 });
      const failed = new Promise<{ room: string; error: string }>((resolve) => listener.once('rejoin-failed', resolve));
      void from.drain();
      await expect(failed).resolves.toEqual({ room: 'room', error: expect.stringMatching(/^rate_limited: too many requests joins from your address; retry in \d+ ms$/) });
    });
  });
});
