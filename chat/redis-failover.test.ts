import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ChatNodeProcess } from '../test-support/chat-node-process';
import { RedisServer } from '../test-support/redis-server';
import { TcpProxy } from '../test-support/tcp-proxy';
import { ChatClient } from './client';
import type { ChatMessage } from './protocol';
import { eventually, handshake } from './testing';

// Heartbeats every second, so that each node learns the others' addresses at once.
const ARGS = ['--publish-seconds', '1'];

/**
 * What an ALB does with a target group's health check: ask each node's liveness every `intervalMs`; three
 * failures in a row and ECS or the ASG would replace the node.
 */
function healthChecker(nodes: readonly ChatNodeProcess[], intervalMs = 2000) {
  const failures = new Map<ChatNodeProcess, number>(nodes.map((n) => [n, 0]));
  const replaced = new Set<number>();
  const timer = setInterval(() => {
    for (const node of nodes) {
      void fetch(`${node.url}/healthz`, { signal: AbortSignal.timeout(5000) })
        .then((r) => r.status === 200)
        .catch(() => false)
        .then((healthy) => {
          failures.set(node, healthy ? 0 : failures.get(node)! + 1);
          if (failures.get(node)! >= 3) replaced.add(node.port);
        });
    }
  }, intervalMs);
  return { replaced, stop: () => clearInterval(timer) };
}

describe('a Redis failover', () => {
  const cleanup: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });
  afterAll(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('a node that alone lost Redis refuses newcomers while another is ready, and takes them when none is', async () => {
    const redis = await RedisServer.start();
    cleanup.push(() => redis.dispose());
    const path = await TcpProxy.start(redis.port);
    cleanup.push(() => path.close());
    const cutOff = await ChatNodeProcess.start({ redisUrl: `redis://127.0.0.1:${path.port}`, args: ARGS });
    const healthy = await ChatNodeProcess.start({ redisUrl: redis.url, args: ARGS });
    cleanup.push(() => cutOff.stop(), () => healthy.stop());
    await cutOff.waitUntil(async () => (await cutOff.stats()).peers === 1, 60_000, 'aware of the other node');

    const user = new ChatClient({ urls: [cutOff.url], name: 'stays' });
    cleanup.push(() => user.close());
    await user.connect();
    await user.join('lobby');
    const dropped: string[] = [];
    user.on('disconnected', (reason) => dropped.push(reason));

    path.sever();
    await cutOff.waitUntil(async () => (await cutOff.readyz()).status === 503, 60_000, 'not ready without Redis');
    expect(await handshake(cutOff.url)).toBe('403 this node cannot reach redis: connect to another node');
    expect(await handshake(healthy.url)).toBe('accepted');
    // Its own users stay, and are still served.
    await expect(user.send('lobby', 'still here')).resolves.toMatchObject({ ok: true, queued: true });
    expect((await fetch(`${cutOff.url}/healthz`)).status).toBe(200);

    // Now no node has Redis: the cut-off node takes newcomers rather than leave them with no node at all.
    await redis.stop();
    await healthy.waitUntil(async () => (await healthy.readyz()).status === 503, 60_000, 'not ready without Redis');
    await eventually(async () => expect(await handshake(cutOff.url)).toBe('accepted'), 30_000);
    expect(dropped).toEqual([]);
  }, 180_000);

  it('of 60 s under 1,000 connections on 3 nodes replaces no node, drops no connection and loses no acknowledged message', async () => {
    const redis = await RedisServer.start();
    cleanup.push(() => redis.dispose());
    const nodes = await Promise.all([0, 1, 2].map(() => ChatNodeProcess.start({ redisUrl: redis.url, args: ARGS })));
    cleanup.push(() => Promise.all(nodes.map((n) => n.stop())).then(() => undefined));
    const ROOMS = 20;
    const clients = Array.from({ length: 1000 }, (_, i) => {
      const home = i % nodes.length;
      const urls = [...nodes.slice(home), ...nodes.slice(0, home)].map((n) => n.url);
      return { client: new ChatClient({ urls, name: `u${i}`, timeoutMs: 60_000 }), room: `room-${i % ROOMS}` };
    });
    cleanup.push(() => clients.forEach(({ client }) => client.close()));
    for (let i = 0; i < clients.length; i += 100) await Promise.all(clients.slice(i, i + 100).map(({ client }) => client.connect()));
    for (let i = 0; i < clients.length; i += 100) await Promise.all(clients.slice(i, i + 100).map(({ client, room }) => client.join(room)));

    const heard = clients.map(({ client }) => {
      const ids = new Set<string>();
      client.on('message', (m: ChatMessage) => ids.add(m.id));
      return ids;
    });
    const dropped: string[] = [];
    for (const { client } of clients) client.on('disconnected', (reason) => dropped.push(reason));
    const health = healthChecker(nodes);
    cleanup.push(() => health.stop());

    // One speaker a room, a message every 2 s each: before, through and after the outage.
    const acked = new Map<string, string[]>();
    const failures: unknown[] = [];
    let talking = true;
    const speakers = clients.slice(0, ROOMS).map(async ({ client, room }, s) => {
      acked.set(room, []);
      for (let seq = 0; talking; seq++) {
        await client.send(room, `speaker ${s} #${seq}`).then((r) => acked.get(room)!.push(r.id), (error: unknown) => failures.push(error));
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    });

    await new Promise((resolve) => setTimeout(resolve, 4000));
    await redis.stop();
    const outageStarted = Date.now();
    for (const node of nodes) await node.waitUntil(async () => (await node.readyz()).status === 503, 60_000, 'aware of the outage');
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 60_000 - (Date.now() - outageStarted))));
    await redis.restart();
    for (const node of nodes) await node.waitUntil(async () => (await node.readyz()).status === 200, 120_000, 'ready again');
    await new Promise((resolve) => setTimeout(resolve, 4000));
    talking = false;
    await Promise.all(speakers);

    expect(failures).toEqual([]);
    expect([...acked.values()].flat().length).toBeGreaterThan(ROOMS * 30);
    // Every acknowledged message reaches every member of its room, those on other nodes once Redis is back.
    await eventually(() => {
      const missing = clients.flatMap(({ room }, i) => acked.get(room)!.filter((id) => !heard[i]!.has(id)));
      expect(missing.length).toBe(0);
    }, 120_000);
    expect(dropped).toEqual([]);
    expect([...health.replaced]).toEqual([]);
    expect(nodes.every((n) => n.running)).toBe(true);
  }, 600_000);
});
