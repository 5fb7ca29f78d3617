import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatNodeProcess } from '../test-support/chat-node-process';
import { RedisServer } from '../test-support/redis-server';
import { ChatClient } from './client';
import { collect, eventually } from './testing';

describe('a Redis restart in the middle of a chat', () => {
  let redis: RedisServer;
  let nodes: ChatNodeProcess[];
  const clients: ChatClient[] = [];

  beforeAll(async () => {
    redis = await RedisServer.start();
    nodes = await Promise.all([0, 1].map(() => ChatNodeProcess.start({ redisUrl: redis.url })));
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await Promise.all(nodes.map((n) => n.stop()));
    await redis.dispose();
  });

  it('keeps serving local clients while Redis is down, reports not ready, and recovers with no manual step', async () => {
    const [a, b] = nodes as [ChatNodeProcess, ChatNodeProcess];
    const [a1, a2, b1] = [new ChatClient({ urls: [a.url], name: 'a1' }), new ChatClient({ urls: [a.url], name: 'a2' }), new ChatClient({ urls: [b.url], name: 'b1' })];
    clients.push(a1, a2, b1);
    for (const c of clients) {
      await c.connect();
      await c.join('outage');
    }
    const [atA2, atB1] = [collect(a2), collect(b1)];

    await redis.stop();
    for (const node of nodes) {
      await eventually(async () => {
        const { status, body } = await node.readyz();
        expect(status).toBe(503);
        expect(body?.reasons.join()).toMatch(/redis/);
      });
      expect((await fetch(`${node.url}/healthz`)).status).toBe(200);
    }

    const during = await a1.send('outage', 'while redis is down');
    expect(during.queued).toBe(true);
    await eventually(() => expect(atA2.map((m) => m.text)).toEqual(['while redis is down']));

    await redis.restart();
    for (const node of nodes) await eventually(async () => expect((await node.readyz()).status).toBe(200), 15_000);

    // What waited on node A reaches node B once Redis is back, and is stored.
    await eventually(() => expect(atB1.map((m) => m.text)).toEqual(['while redis is down']));
    const after = await a1.send('outage', 'after recovery');
    expect(after.queued).toBe(false);
    await eventually(() => expect(atB1.map((m) => m.text)).toEqual(['while redis is down', 'after recovery']));
    expect(atA2.map((m) => m.text)).toEqual(['while redis is down', 'after recovery']);

    const late = new ChatClient({ urls: [b.url], name: 'late' });
    clients.push(late);
    await late.connect();
    expect((await late.join('outage')).history.map((m) => m.text)).toEqual(['while redis is down', 'after recovery']);
    expect(a.running && b.running).toBe(true);
  });
});
