import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status, type Metadata, type ServiceError } from '@grpc/grpc-js';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../chat/testing';
import { ChatNodeProcess } from '../test-support/chat-node-process';
import { freePort } from '../test-support/free-port';
import { RedisServer } from '../test-support/redis-server';
import { ScalerProcess } from '../test-support/scaler-process';
import { publishedClient } from './testing';

const REF = { name: 'chat', namespace: 'chat', scalerMetadata: { target: 'chat-k8s', scalerAddress: 'scaler:9090' } };
const WAIT = 180_000;

/** The environment of a process with no AWS credentials and no Kubernetes config anywhere. */
function bareEnv(redisUrl: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: mkdtempSync(join(tmpdir(), 'keda-home-')), REDIS_URL: redisUrl, NODE_ENV: 'production' };
  return env;
}

describe('scaler keda, asked by a KEDA client the project did not write, on real chat nodes and a real redis-server', () => {
  let redis: RedisServer;
  const nodes: ChatNodeProcess[] = [];
  let scaler: ScalerProcess;
  let capped: ScalerProcess;
  let client: ReturnType<typeof publishedClient>;
  let cappedClient: ReturnType<typeof publishedClient>;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    redis = await RedisServer.start();
    const env = { CHAT_SERVICE_NAME: 'chat-k8s', CHAT_TARGET_KIND: 'k8s-deployment', CHAT_PUBLISH_SECONDS: '1' };
    for (let i = 0; i < 2; i++) nodes.push(await ChatNodeProcess.start({ redisUrl: redis.url, env: { ...env, CHAT_UNIT_ID: `chat-${i}` }, args: ['--address-connect-events', '100000'] }));
    const port = await freePort();
    scaler = ScalerProcess.start(['keda', '--config', 'examples/kubernetes.json', '--port', String(port), '--every', '2'], bareEnv(redis.url));
    // The same target, capped at 4 replicas: the bounds hold whatever the connections.
    const dir = mkdtempSync(join(tmpdir(), 'keda-config-'));
    const config = JSON.parse(readFileSync('examples/kubernetes.json', 'utf8')) as { targets: Array<{ maxCapacity: number }> };
    config.targets[0]!.maxCapacity = 4;
    writeFileSync(join(dir, 'capped.json'), JSON.stringify(config));
    const cappedPort = await freePort();
    capped = ScalerProcess.start(['keda', '--config', join(dir, 'capped.json'), '--port', String(cappedPort), '--every', '2'], bareEnv(redis.url));
    await Promise.all([scaler.saidOnStderr('KEDA external scaler on port', WAIT), capped.saidOnStderr('KEDA external scaler on port', WAIT)]);
    client = publishedClient(`127.0.0.1:${port}`);
    cappedClient = publishedClient(`127.0.0.1:${cappedPort}`);
  }, WAIT);

  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    client?.close();
    cappedClient?.close();
    await Promise.all([scaler?.stop(), capped?.stop()]);
    await Promise.all(nodes.map((n) => n.stop()));
    await redis?.dispose();
  }, WAIT);

  const metrics = async (c = client) => {
    const { value, metadata } = await c.call<{ metricValues: Array<{ metricName: string; metricValue: number; metricValueFloat: number }> }>('GetMetrics', { scaledObjectRef: REF, metricName: 's0-desired-replicas' });
    return { ...value.metricValues[0]!, reason: (metadata as Metadata).get('x-scaler-reason')[0]?.toString() };
  };
  const active = async () => (await client.call<{ result: boolean }>('IsActive', REF)).value.result;
  /** The engine's logged decisions, newest last. */
  const decisions = (p = scaler) => p.logLines().filter((l) => l.message === 'decision' || l.message === 'capacity changed') as Array<{ desired: number; reason: string }>;
  async function connect(count: number): Promise<void> {
    const opened = Array.from({ length: count }, (_, i) => io(nodes[i % nodes.length]!.url, { transports: ['websocket'], reconnection: false, forceNew: true }));
    sockets.push(...opened);
    await Promise.all(opened.map((s) => new Promise<void>((resolve, reject) => (s.connected ? resolve() : (s.once('connect', () => resolve()), s.once('connect_error', reject))))));
  }
  /** GetMetrics agrees with the engine: its value is a decision the engine logged, with that decision's reason. */
  async function expectLogged(reported: { metricValue: number; reason: string | undefined }, p = scaler): Promise<void> {
    await eventually(() => expect(decisions(p)).toContainEqual(expect.objectContaining({ desired: reported.metricValue, reason: reported.reason })), WAIT);
  }

  it('gives a target of 1 a replica, for the target the trigger names', async () => {
    const { value } = await client.call<{ metricSpecs: unknown[] }>('GetMetricSpec', REF);
    expect(value.metricSpecs).toEqual([{ metricName: 'desired-replicas', targetSize: 1, targetSizeFloat: 1 }]);
  }, WAIT);

  it('refuses a trigger that names no target, or one it does not have, saying which it has', async () => {
    const error = (await client.call('GetMetrics', { scaledObjectRef: { ...REF, scalerMetadata: {} }, metricName: 'x' }).catch((e: unknown) => e)) as ServiceError;
    expect(error.code).toBe(status.INVALID_ARGUMENT);
    expect(error.details).toContain('target: one of chat-k8s');
    const unknown = (await client.call('IsActive', { ...REF, scalerMetadata: { target: 'nope' } }).catch((e: unknown) => e)) as ServiceError;
    expect(unknown.code).toBe(status.NOT_FOUND);
    expect(unknown.details).toBe('ScaledObject chat/chat: no target "nope"; configured: chat-k8s');
  }, WAIT);

  it('follows the connections: more clients, more replicas, within the bounds, with the reason the engine logs, active while anyone is connected', async () => {
    let idle!: Awaited<ReturnType<typeof metrics>>;
    await eventually(async () => {
      idle = await metrics();
    }, WAIT);
    expect(idle.metricValue).toBeGreaterThanOrEqual(1);
    expect(idle.metricValueFloat).toBe(idle.metricValue);
    expect(await active()).toBe(false);
    await expectLogged(idle);

    const stream = client.stream('StreamIsActive', REF);
    const streamed: boolean[] = [];
    stream.on('data', (m: { result: boolean }) => streamed.push(m.result));
    stream.on('error', () => undefined);

    await connect(250);
    let some!: Awaited<ReturnType<typeof metrics>>;
    await eventually(async () => {
      expect(await active()).toBe(true);
      some = await metrics();
      expect(some.metricValue).toBe(3);
    }, WAIT);
    expect(some.reason).toBe('TargetTrackingScaleOut');
    await expectLogged(some);
    await eventually(() => expect(streamed).toEqual([false, true]), WAIT);

    await connect(300);
    let more!: Awaited<ReturnType<typeof metrics>>;
    await eventually(async () => {
      more = await metrics();
      expect(more.metricValue).toBe(6);
    }, WAIT);
    await expectLogged(more);
    let cappedAnswer!: Awaited<ReturnType<typeof metrics>>;
    // Capped at 4 whatever it wants: the rate limit or the bound says why, as the engine logs it.
    await eventually(async () => {
      cappedAnswer = await metrics(cappedClient);
      expect(cappedAnswer.metricValue).toBe(4);
    }, WAIT);
    await expectLogged(cappedAnswer, capped);

    sockets.splice(0).forEach((s) => s.disconnect());
    await eventually(async () => expect(await active()).toBe(false), WAIT);
    await eventually(() => expect(streamed.at(-1)).toBe(false), WAIT);
    stream.cancel();
  }, 4 * WAIT);

  it('runs with no AWS credentials and no Kubernetes config, and says how it reaches the cluster', () => {
    expect(scaler.stderr).toContain('KEDA external scaler on port');
    expect(scaler.stderr).toContain('metric source redis-heartbeat; Kubernetes API: none: the fleet as the Redis heartbeats show it');
    expect(scaler.running).toBe(true);
  });
});
