import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient } from '../chat/client';
import { collect, eventually } from '../chat/testing';
import { SimulatedClock } from './clock';
import { LocalFleet } from './fleet';

// The chat with nothing installed: nodes are cluster workers of this process, which carries their room
// broadcasts (@socket.io/cluster-adapter) and keeps the history Redis would.
describe('chat nodes on the cluster primary, without Redis', () => {
  const fleet = new LocalFleet({ name: 'chat-local', clock: new SimulatedClock(0, 1), startupSeconds: 0 });
  const clients: ChatClient[] = [];
  const client = async (url: string, name: string) => {
    const c = new ChatClient({ urls: [url], name });
    clients.push(c);
    await c.connect();
    return c;
  };
  let urls: string[];

  beforeAll(async () => {
    await fleet.setDesired(2);
    await eventually(() => expect(fleet.readyUnits()).toHaveLength(2), 180_000);
    urls = fleet.readyUnits().map((u) => u.url);
  });
  afterAll(async () => {
    clients.forEach((c) => c.close());
    await fleet.stop();
  });

  it('carries a message to a client on another node, and keeps it for one who joins later', async () => {
    const [a, b] = [await client(urls[0]!, 'a'), await client(urls[1]!, 'b')];
    await a.join('lobby');
    await b.join('lobby');
    const atB = collect(b);
    await a.send('lobby', 'hello across nodes');
    await eventually(() => expect(atB.map((m) => m.text)).toEqual(['hello across nodes']));

    const late = await client(urls[1]!, 'late');
    const joined = await late.join('lobby');
    expect(joined.history.map((m) => m.text)).toEqual(['hello across nodes']);
  });

  it('reports each node ready, with the primary as its backend', async () => {
    const ready = (await (await fetch(`${urls[0]}/readyz`)).json()) as { ready: boolean };
    expect(ready.ready).toBe(true);
    const stats = (await (await fetch(`${urls[0]}/stats`)).json()) as { backend: Record<string, string> };
    expect(stats.backend).toEqual({ primary: 'ready' });
  });
});
