import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatCluster } from '../test-support/chat-cluster';
import type { ChatNodeProcess } from '../test-support/chat-node-process';
import { HistoryStore } from './history';
import { collect, eventually } from './testing';

describe('a Redis restart in the middle of a chat', () => {
  let cluster: ChatCluster;
  let nodes: ChatNodeProcess[];

  beforeAll(async () => {
    cluster = await ChatCluster.start(2);
    nodes = cluster.nodes;
  });

  afterAll(() => cluster.dispose());

  it('keeps serving local clients while Redis is down, reports not ready, and recovers with no manual step', async () => {
    const [a, b] = nodes as [ChatNodeProcess, ChatNodeProcess];
    const [a1, a2, b1] = [await cluster.connected(a.url, 'a1'), await cluster.connected(a.url, 'a2'), await cluster.connected(b.url, 'b1')];
    for (const c of [a1, a2, b1]) await c.join('outage');
    const [atA2, atB1] = [collect(a2), collect(b1)];

    await cluster.redis.stop();
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

    await cluster.redis.restart();
    for (const node of nodes) await eventually(async () => expect((await node.readyz()).status).toBe(200), 120_000);

    // What waited on node A reaches node B once Redis is back, and is stored.
    await eventually(() => expect(atB1.map((m) => m.text)).toEqual(['while redis is down']));
    const after = await a1.send('outage', 'after recovery');
    expect(after.queued).toBe(false);
    await eventually(() => expect(atB1.map((m) => m.text)).toEqual(['while redis is down', 'after recovery']));
    // a2 may be mid-resync, when its client holds live messages until the rejoin's history is merged.
    await eventually(() => expect(atA2.map((m) => m.text)).toEqual(['while redis is down', 'after recovery']));

    const late = await cluster.connected(b.url, 'late');
    expect((await late.join('outage')).history.map((m) => m.text)).toEqual(['while redis is down', 'after recovery']);
    expect(a.running && b.running).toBe(true);
  });

  it('has clients read from the history what other nodes published while their node was cut off', async () => {
    const b = nodes[1]!;
    const reader = await cluster.connected(b.url, 'reader');
    await reader.join('missed');
    const heard = collect(reader);

    await cluster.redis.stop();
    await eventually(async () => expect((await b.readyz()).status).toBe(503));
    await cluster.redis.restart();
    // Stored before node B is back, and published to nobody: only a rejoin can find it.
    const redis = cluster.redis.client();
    await new HistoryStore(redis, 100).append([{ id: 'published-while-b-was-away', room: 'missed', name: 'elsewhere', text: 'you missed this', at: Date.now() }]);
    redis.disconnect();

    await eventually(() => expect(heard.map((m) => m.text)).toEqual(['you missed this']), 120_000);
  });
});

describe('SIGTERM while Redis is down', () => {
  it('exits within its stop timeout, and its last log line counts the messages it could not hand over', async () => {
    const cluster = await ChatCluster.start(1, ['--stop-timeout', '6', '--drain-window', '1']);
    try {
      const node = cluster.nodes[0]!;
      const sender = await cluster.connected(node.url, 'sender');
      await sender.join('stranded');
      await cluster.redis.stop();
      await eventually(async () => expect((await node.readyz()).status).toBe(503));
      expect((await sender.send('stranded', 'never stored')).queued).toBe(true);

      const signalled = Date.now();
      node.signal('SIGTERM');
      const exit = await Promise.race([node.exited, new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 120_000))]);
      const seconds = (Date.now() - signalled) / 1000;
      expect(exit).toEqual({ code: 0, signal: null });
      expect(seconds).toBeLessThan(6);
      const lines = node.output.trim().split('\n').filter((l) => l.startsWith('{'));
      expect(JSON.parse(lines[lines.length - 1]!)).toMatchObject({ level: 'ERROR', message: 'closed; messages lost: Redis did not store them before the stop timeout', lost: 1 });
    } finally {
      await cluster.dispose();
    }
  });
});
