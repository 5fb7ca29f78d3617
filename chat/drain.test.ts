import { io as connectRaw } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatCluster } from '../test-support/chat-cluster';
import type { ChatNodeProcess } from '../test-support/chat-node-process';
import { RedisServer } from '../test-support/redis-server';
import type { ChatClient } from './client';
import { startChatNode } from './node';
import type { ChatMessage, DrainNotice } from './protocol';
import { collect, eventually, quietLogger } from './testing';

const STOP_TIMEOUT_S = 8;
const DRAIN_WINDOW_S = 2;
// Every test client comes from this machine's one address: the per-address limit is raised with the per-socket one.
const NODE_ARGS = ['--stop-timeout', String(STOP_TIMEOUT_S), '--drain-window', String(DRAIN_WINDOW_S), '--rate-limit-events', '1000', '--rate-limit-seconds', '1', '--address-rate-limit-events', '100000', '--address-rate-limit-seconds', '1'];

describe('draining a node on SIGTERM', () => {
  let cluster: ChatCluster;
  let nodes: ChatNodeProcess[];
  const clients: ChatClient[] = [];

  beforeAll(async () => {
    cluster = await ChatCluster.start(3, NODE_ARGS);
    nodes = cluster.nodes;
  });

  afterAll(() => cluster.dispose());

  it('moves its clients to the other nodes and delivers every accepted message exactly once, in order per sender', async () => {
    const [draining, ...others] = nodes as [ChatNodeProcess, ChatNodeProcess, ChatNodeProcess];
    // Three clients per node; each lists its own node first, then the rest, as a client of a fleet would.
    for (const [i, home] of nodes.entries()) {
      for (const k of [0, 1, 2]) {
        const urls = [home.url, ...nodes.filter((n) => n !== home).map((n) => n.url)];
        clients.push(cluster.client(urls, `user-${i}-${k}`));
      }
    }
    await Promise.all(clients.map((c) => c.connect()));
    for (const c of clients) await c.join('drain');
    const received = new Map(clients.map((c) => [c, collect(c)]));
    const onDrainingNode = clients.slice(0, 3);
    const senders = [clients[0]!, clients[3]!, clients[6]!];

    const accepted = new Map<string, ChatMessage['id'][]>(senders.map((s) => [s.url, []]));
    const failures: unknown[] = [];
    let sending = true;
    const sendLoops = senders.map(async (sender, s) => {
      const ids = accepted.get(sender.url)!;
      for (let seq = 0; sending; seq++) {
        try {
          ids.push((await sender.send('drain', `sender ${s} #${seq}`)).id);
        } catch (error) {
          failures.push(error);
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    });

    // A firehose on another node: about 400 messages a second into the same room, so the messages a moved
    // client must catch up on overflow any fixed history window (500 entries would cover ~1 s of it).
    const firehose = clients[4]!;
    const firehoseIds: ChatMessage['id'][] = [];
    const firehoseLoop = (async () => {
      for (let seq = 0; sending; seq++) {
        const batch = await Promise.allSettled(Array.from({ length: 10 }, (_, k) => firehose.send('drain', `firehose #${seq * 10 + k}`)));
        for (const r of batch) {
          if (r.status === 'fulfilled') firehoseIds.push(r.value.id);
          else failures.push(r.reason);
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();

    // More than a fixed window of 500 entries lies before the moment the moved clients leave: only a
    // resync that pages forward from `since` can give them what came after.
    await eventually(() => expect(firehoseIds.length).toBeGreaterThan(600), 60_000);
    const sigterm = Date.now();
    draining.signal('SIGTERM');
    await eventually(async () => expect((await draining.readyz()).status).toBe(503), 2000);
    const exit = await draining.exited;
    const drainMs = Date.now() - sigterm;
    await new Promise((resolve) => setTimeout(resolve, 500));
    sending = false;
    await Promise.all([...sendLoops, firehoseLoop]);

    expect(exit).toEqual({ code: 0, signal: null });
    expect(drainMs).toBeLessThan(STOP_TIMEOUT_S * 1000);
    expect(failures).toEqual([]);
    for (const moved of onDrainingNode) {
      expect(moved.moves).toBe(1);
      expect(others.map((n) => n.url)).toContain(moved.url);
    }
    const expected = [...accepted.values()].flat().concat(firehoseIds);
    expect(firehoseIds.length).toBeGreaterThan(600);
    for (const [c, messages] of received) {
      await eventually(() => expect(messages.length).toBeGreaterThanOrEqual(expected.length));
      const ids = messages.map((m) => m.id);
      expect(new Set(ids).size, `${c.url}: duplicates`).toBe(ids.length);
      expect(new Set(ids), `${c.url}: every accepted message`).toEqual(new Set(expected));
      for (let s = 0; s < senders.length; s++) {
        const seqs = messages.filter((m) => m.text.startsWith(`sender ${s} `)).map((m) => Number(m.text.split('#')[1]));
        expect(seqs, `sender ${s} as seen by one client`).toEqual([...seqs].sort((a, b) => a - b));
      }
    }
    expect(draining.output).toContain('"message":"drained"');
  });
});

describe('the drain notices', () => {
  it('spread the reconnect moments over the window, and the node closes before the stop timeout', async () => {
    const redis = await RedisServer.start();
    const node = await startChatNode(
      { port: 0, host: '127.0.0.1', redisUrl: redis.url, drainWindowSeconds: 2, stopTimeoutSeconds: 5 },
      { logger: quietLogger() },
    );
    const sockets = await Promise.all(
      Array.from({ length: 30 }, async () => {
        const socket = connectRaw(node.url, { transports: ['websocket'], reconnection: false, forceNew: true });
        await new Promise((resolve) => socket.once('connect', () => resolve(undefined)));
        return socket;
      }),
    );
    const notices = sockets.map((socket) => new Promise<DrainNotice>((resolve) => socket.once('drain', resolve)));
    const started = Date.now();
    const drained = node.drain();
    expect((await fetch(`${node.url}/readyz`)).status).toBe(503);
    const refused = connectRaw(node.url, { transports: ['websocket'], reconnection: false, forceNew: true });
    const refusal = new Promise<void>((resolve, reject) => {
      refused.once('connect', () => resolve());
      refused.once('connect_error', reject);
    });
    await expect(refusal).rejects.toThrow();

    const moments = (await Promise.all(notices)).map((n) => n.reconnectInMs);
    await drained;
    await redis.dispose();

    expect(Math.min(...moments)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...moments)).toBeLessThan(2000);
    expect(new Set(moments).size).toBeGreaterThan(25);
    // Nobody reconnected on their own, so the node waited out the window plus its grace, then cut them.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(sockets.every((s) => !s.connected)).toBe(true);
  });
});
