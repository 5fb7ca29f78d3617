import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient } from '../chat/client';
import type { ChatMessage } from '../chat/protocol';
import { drainTimings } from '../contract/drain';
import { RedisServer } from '../test-support/redis-server';
import { eventually } from '../chat/testing';
import { LocalBalancer } from './balancer';
import { SimulatedClock } from './clock';
import { LocalFleet, type FleetEvent } from './fleet';

const CLIENTS = 1000;
const ROOMS = 20;
/** 100 speakers at one message a second each: 100 messages a second, within the default per-socket limit. */
const SPEAKERS = 100;

/**
 * A scale-in of 2 of 4 chat nodes behind the local balancer, which cuts what is still open on a node when
 * its deregistration delay ends (the worst case AWS allows), with the product's default limits and timings.
 */
describe('a scale-in of 2 of 4 nodes under 1,000 connections and 100 messages a second', () => {
  let redis: RedisServer;
  let fleet: LocalFleet;
  let balancer: LocalBalancer;
  const events: FleetEvent[] = [];
  const members: Array<{ client: ChatClient; room: string; heard: Set<string>; failedRejoins: string[] }> = [];
  const acked = new Map<string, string[]>();
  const sendFailures: unknown[] = [];

  beforeAll(async () => {
    redis = await RedisServer.start();
    fleet = new LocalFleet({ name: 'chat-local', redisUrl: redis.url, clock: new SimulatedClock(0, 1), startupSeconds: 0, drain: drainTimings(), onEvent: (e) => events.push(e) });
    balancer = new LocalBalancer(() => fleet.readyUnits());
    fleet.behind(balancer);
    await fleet.setDesired(4);
    await eventually(() => expect(fleet.readyUnits().length).toBe(4), 300_000);
    const url = await balancer.listen();

    for (let i = 0; i < CLIENTS; i++) {
      const client = new ChatClient({ urls: [url], name: `u${i}`, timeoutMs: 60_000 });
      const member = { client, room: `room-${i % ROOMS}`, heard: new Set<string>(), failedRejoins: [] as string[] };
      client.on('message', (m: ChatMessage) => member.heard.add(m.id));
      client.on('rejoin-failed', (f) => member.failedRejoins.push(f.error));
      members.push(member);
    }
    for (let i = 0; i < CLIENTS; i += 50) await Promise.all(members.slice(i, i + 50).map((m) => m.client.connect()));
    for (let i = 0; i < CLIENTS; i += 50) await Promise.all(members.slice(i, i + 50).map((m) => m.client.join(m.room)));

    let talking = true;
    const speakers = members.slice(0, SPEAKERS).map(async ({ client, room }) => {
      const ids = acked.get(room) ?? [];
      acked.set(room, ids);
      while (talking) {
        const started = Date.now();
        await client.send(room, `at ${started}`).then((r) => ids.push(r.id), (error: unknown) => sendFailures.push(error));
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 - (Date.now() - started))));
      }
    });

    await new Promise((resolve) => setTimeout(resolve, 3000));
    const loads = await fleet.connectionsByUnit();
    await fleet.protectBusiest(2, async () => loads);
    await fleet.setDesired(2);
    await eventually(() => expect(events.filter((e) => e.type === 'exited').length).toBe(2), 300_000);
    // Chat goes on a while on the two nodes left, so that every moved client shows it is back in its room.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    talking = false;
    await Promise.all(speakers);
  }, 900_000);

  afterAll(async () => {
    for (const { client } of members) client.close();
    await balancer?.close();
    await fleet?.stop();
    await redis?.dispose();
  });

  it('moves every client of the two nodes before their deregistration delay ends: the balancer cuts none', () => {
    expect(events.filter((e) => e.type === 'deregistered')).toEqual([expect.objectContaining({ cut: 0 }), expect.objectContaining({ cut: 0 })]);
    expect(balancer.cut).toBe(0);
    const moved = members.filter((m) => m.client.moves > 0).length;
    expect(moved).toBeGreaterThan(CLIENTS / 4);
  });

  it('has every moved client back in its room, and loses no (message, member) pair', async () => {
    expect(sendFailures).toEqual([]);
    expect([...acked.values()].flat().length).toBeGreaterThan(SPEAKERS * 10);
    expect(members.flatMap((m) => m.failedRejoins)).toEqual([]);
    await expect
      .poll(() => members.reduce((lost, m) => lost + acked.get(m.room)!.filter((id) => !m.heard.has(id)).length, 0), { timeout: 120_000, interval: 500 })
      .toBe(0);
    expect(members.every((m) => m.client.isConnected)).toBe(true);
  });
});

describe('the local balancer, as the worst case AWS allows', () => {
  it('cuts what a node still holds when its deregistration delay ends: a drain that comes too late shows', async () => {
    const redis = await RedisServer.start();
    // The node's notice would come after the delay: it drains only at SIGTERM, as it did before it watched.
    const late = { ...drainTimings(2), noticeSeconds: 30, deregistrationDelaySeconds: 3 };
    const events: FleetEvent[] = [];
    const fleet = new LocalFleet({ name: 'chat-local', redisUrl: redis.url, clock: new SimulatedClock(0, 1), startupSeconds: 0, drain: late, onEvent: (e) => events.push(e) });
    const balancer = new LocalBalancer(() => fleet.readyUnits());
    fleet.behind(balancer);
    const clients: ChatClient[] = [];
    try {
      await fleet.setDesired(2);
      await eventually(() => expect(fleet.readyUnits().length).toBe(2), 300_000);
      const url = await balancer.listen();
      for (let i = 0; i < 20; i++) clients.push(new ChatClient({ urls: [url], name: `u${i}` }));
      await Promise.all(clients.map((c) => c.connect()));
      await fleet.setDesired(1);
      await eventually(() => expect(events.some((e) => e.type === 'deregistered')).toBe(true), 300_000);
      expect(events.find((e) => e.type === 'deregistered')).toMatchObject({ cut: 10 });
      expect(balancer.cut).toBe(10);
    } finally {
      clients.forEach((c) => c.close());
      await balancer.close();
      await fleet.stop();
      await redis.dispose();
    }
  }, 600_000);
});
