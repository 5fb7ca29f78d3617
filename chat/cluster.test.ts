import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatCluster } from '../test-support/chat-cluster';
import { ChatNodeProcess } from '../test-support/chat-node-process';
import type { ChatMessage } from './protocol';
import { collect, eventually } from './testing';

describe('three chat nodes sharing one Redis', () => {
  let cluster: ChatCluster;
  let nodes: ChatNodeProcess[];
  const client = (url: string, name: string) => cluster.connected(url, name);

  beforeAll(async () => {
    cluster = await ChatCluster.start(3);
    nodes = cluster.nodes;
  });

  afterAll(() => cluster.dispose());

  it('delivers a message sent on node A to the room on nodes B and C, and to no other room', async () => {
    const [a, b, c, elsewhere] = await Promise.all([
      client(nodes[0]!.url, 'ana'),
      client(nodes[1]!.url, 'bo'),
      client(nodes[2]!.url, 'cy'),
      client(nodes[1]!.url, 'dee'),
    ]);
    for (const x of [a, b, c]) await x.join('lobby');
    await elsewhere.join('other');
    const [atB, atC, atElsewhere] = [collect(b), collect(c), collect(elsewhere)];

    const reply = await a.send('lobby', 'hello from A');

    expect(reply.queued).toBe(false);
    await eventually(() => expect(atB.map((m) => m.text)).toEqual(['hello from A']));
    await eventually(() => expect(atC.map((m) => m.text)).toEqual(['hello from A']));
    expect(atB[0]).toMatchObject({ id: reply.id, room: 'lobby', name: 'ana' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(atElsewhere).toEqual([]);
  });

  it('shows who is in the room across nodes, and who leaves', async () => {
    const [a, b, c] = await Promise.all([client(nodes[0]!.url, 'p1'), client(nodes[1]!.url, 'p2'), client(nodes[2]!.url, 'p3')]);
    await a.join('presence');
    await b.join('presence');
    const reply = await c.join('presence');
    expect(reply.members.map((m) => m.name).sort()).toEqual(['p1', 'p2', 'p3']);
    await eventually(() => expect(a.members('presence').map((m) => m.name).sort()).toEqual(['p1', 'p2', 'p3']));

    b.close();
    await eventually(() => expect(a.members('presence').map((m) => m.name).sort()).toEqual(['p1', 'p3']));
  });

  it('keeps the history of a room when a node restarts, and gives the last messages on join', async () => {
    const sender = await client(nodes[0]!.url, 'historian');
    await sender.join('history');
    for (const n of [1, 2, 3]) await sender.send('history', `message ${n}`);

    const restarted = nodes[1]!;
    await restarted.stop();
    nodes[1] = await ChatNodeProcess.start({ redisUrl: cluster.redis.url, port: restarted.port });
    const late = await client(nodes[1]!.url, 'late');
    const { history } = await late.join('history');

    expect(history.map((m: ChatMessage) => [m.name, m.text])).toEqual([
      ['historian', 'message 1'],
      ['historian', 'message 2'],
      ['historian', 'message 3'],
    ]);
  });
});
