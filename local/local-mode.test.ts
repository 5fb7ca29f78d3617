import { io, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { alive } from '../test-support/processes';
import { parseControllerConfig } from '../core';
import type { DecisionLog } from '../controller';
import { RedisServer } from '../test-support/redis-server';
import { SimulatedClock } from './clock';
import { LocalController } from './controller';
import { LocalFleet } from './fleet';

const config = parseControllerConfig({
  targets: [
    {
      name: 'chat-local',
      kind: 'local-fleet',
      minCapacity: 1,
      maxCapacity: 5,
      warmupSeconds: 30,
      policies: [{ type: 'target-tracking', name: 'connections', targetPerUnit: 10, tolerance: 0, scaleIn: { stabilizationSeconds: 60 } }],
    },
  ],
});

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not ${what} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}


describe('local mode', () => {
  let redis: RedisServer | undefined;
  let fleet: LocalFleet | undefined;
  let controller: LocalController | undefined;
  const sockets: Socket[] = [];
  afterEach(async () => {
    sockets.splice(0).forEach((s) => s.close());
    await controller?.stop();
    await fleet?.stop();
    await redis?.dispose();
  });

  it.each([
    { backend: 'the Node cluster primary (nothing installed)', withRedis: false },
    { backend: 'Redis, as in production', withRedis: true },
  ])('scales a fleet of real chat processes on $backend out with the load and back in after it, through the Lambda handlers', async ({ withRedis }) => {
    redis = withRedis ? await RedisServer.start() : undefined;
    // 30x: a simulated minute (one scheduled evaluation) every 2 s; a 30 s start-up takes 1 s.
    const clock = new SimulatedClock(Date.UTC(2026, 10, 22, 10) / 1000, 30);
    fleet = new LocalFleet({ name: 'chat-local', ...(redis === undefined ? {} : { redisUrl: redis.url }), clock, startupSeconds: 30 });
    const decisions: Array<{ desired: number; reason: string; message: string }> = [];
    const errors: string[] = [];
    const log: DecisionLog = {
      info: (message, ...extra) => {
        const fields = Object.assign({}, ...extra) as { desired?: number; reason?: string; decisionMessage?: string };
        if (message === 'capacity changed') decisions.push({ desired: fields.desired!, reason: fields.reason!, message: fields.decisionMessage! });
      },
      warn: () => undefined,
      error: (message, ...extra) => errors.push(`${message} ${JSON.stringify(extra)}`),
    };
    controller = new LocalController(config, new Map([['chat-local', fleet]]), clock, log);
    // Started before the clock runs, so that a launch serves after the simulated start-up, whatever the load.
    await fleet.warmUp(4);
    clock.restart();
    await fleet.setDesired(1);
    controller.start();
    await until(() => fleet!.readyUnits().length === 1, 120_000, 'one node ready');

    // 35 clients at 10 per node: the controller asks for 4 nodes.
    const url = fleet.readyUnits()[0]!.url;
    for (let i = 0; i < 35; i++) sockets.push(io(url, { transports: ['websocket'], reconnection: false, forceNew: true }));
    await until(() => sockets.every((s) => s.connected), 60_000, 'every client connected');
    await until(async () => (await fleet!.describe()).desired === 4 && fleet!.readyUnits().length === 4, 180_000, 'scaled out to 4 ready nodes');

    sockets.forEach((s) => s.close());
    await until(async () => (await fleet!.describe()).desired === 1 && fleet!.readyUnits().length === 1, 180_000, 'scaled back in to 1');

    expect(decisions.map((d) => [d.desired, d.reason])).toEqual(expect.arrayContaining([[4, 'TargetTrackingScaleOut']]));
    // With no one left the policy wants 0 nodes; the minimum keeps one, and says so.
    expect(decisions.at(-1)).toMatchObject({ desired: 1, reason: 'ClampedToMin' });
    expect(decisions.at(-1)!.message).toContain('0 connections on 4 unit(s)');
    expect(decisions.every((d) => d.message.length > 0)).toBe(true);
    expect(errors).toEqual([]);

    await controller.stop();
    await fleet.stop();
    expect(fleet.pids.length).toBeGreaterThanOrEqual(4);
    expect(fleet.pids.filter(alive)).toEqual([]);
  });
});
