import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseTargetConfig } from '../../core';
import { HEARTBEAT_KEYS } from '../../contract/connections';
import { writeHeartbeat } from '../../contract/heartbeat';
import { AdapterError } from '../../controller';
import { RedisServer } from '../../test-support/redis-server';
import { HeartbeatConnections } from './heartbeat-connections';

const target = parseTargetConfig({ name: 'chat-k8s', kind: 'k8s-deployment', minCapacity: 1, maxCapacity: 10, policies: [{ type: 'target-tracking', name: 'tt', targetPerUnit: 100 }] });
const T0 = Date.parse('2026-12-07T10:00:00Z');
/** Each node beats every 10 s: its heartbeat lives three intervals. */
const beat = (redis: Redis, nodeId: string, connections: number, at: number, targetName = 'chat-k8s') =>
  writeHeartbeat(redis, { nodeId, targetKind: 'k8s-deployment', targetName, connections, ready: true, draining: false, at }, 30_000);

describe('the Redis heartbeat metric source, on a real redis-server', () => {
  let server: RedisServer;
  let redis: Redis;
  let source: HeartbeatConnections;
  beforeAll(async () => {
    server = await RedisServer.start();
    redis = new Redis(server.url);
    source = new HeartbeatConnections(redis);
  });
  afterAll(async () => {
    redis.disconnect();
    await server.dispose();
  });
  beforeEach(() => redis.flushall());

  it('reads the live total of the target from each node’s last heartbeat, and each node’s own count', async () => {
    await beat(redis, 'chat-a', 120, T0);
    await beat(redis, 'chat-b', 30, T0);
    await beat(redis, 'chat-a', 140, T0 + 10_000);
    await beat(redis, 'other-x', 999, T0, 'other');
    expect(await source.latest(target)).toBe(170);
    expect(await source.connectionsByUnit(target, ['chat-a', 'chat-b', 'chat-gone'])).toEqual(new Map([['chat-a', 140], ['chat-b', 30], ['chat-gone', 0]]));
  });

  it('refuses to read a total when no node of the target beats, rather than report zero', async () => {
    await beat(redis, 'other-x', 5, T0, 'other');
    await expect(source.latest(target)).rejects.toThrow(AdapterError);
    await expect(source.latest(target)).rejects.toThrow('no chat node of target chat-k8s has sent a heartbeat to Redis in the last 30 s');
  });

  it('gives the per-minute history as the fleet average, across a day boundary, NaN where nobody beat', async () => {
    const midnight = Date.parse('2026-12-08T00:00:00Z');
    for (let s = 0; s < 60; s += 10) {
      await beat(redis, 'chat-a', 60, midnight - 60_000 + s * 1000);
      await beat(redis, 'chat-b', 30, midnight - 60_000 + s * 1000);
      await beat(redis, 'chat-a', 100, midnight + 60_000 + s * 1000);
    }
    const from = midnight / 1000 - 60;
    const grid = await source.grid(target, from, from + 180);
    expect(grid.times).toEqual([from, from + 60, from + 120]);
    expect(grid.values.slice(0, 1)).toEqual([90]);
    expect(grid.values[1]).toBeNaN();
    expect(grid.values[2]).toBe(100);
    // The history expires by itself, past the 14 days the forecaster fits.
    const ttl = await redis.ttl(HEARTBEAT_KEYS.minutes('chat-k8s', Math.floor((midnight / 1000) / 86_400)));
    expect(ttl).toBeGreaterThan(14 * 86_400);
    expect(ttl).toBeLessThanOrEqual(15 * 86_400);
  });

  it('keeps the forecast it is given beside the heartbeats, for the hour ahead, and evaluates no alarms', async () => {
    const start = T0 / 1000;
    const sent = await source.putForecast(target, { start, stepSeconds: 60, point: [10, 20, 30], upper: [11, 22, 33] }, { from: start + 60, until: start + 180 });
    expect(sent).toBe(4);
    expect(JSON.parse((await redis.get(HEARTBEAT_KEYS.forecast('chat-k8s')))!)).toEqual([
      { at: start + 60, point: 20, upper: 22 },
      { at: start + 120, point: 30, upper: 33 },
    ]);
    expect(await source.firingAlarms()).toEqual(new Map());
  });
});
