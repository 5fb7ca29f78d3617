import { readFileSync } from 'node:fs';
import { credentials, loadPackageDefinition, Metadata, status, type Client, type GrpcObject, type ServiceClientConstructor, type ServiceError } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { parseControllerConfig, type TargetConfig } from '../core';
import type { DecisionLog } from '../controller';
import { TEST_TLS } from '../test-support/redis-server';
import { DecisionBoard } from './board';
import { serveKeda, type KedaServer } from './server';
import { kedaPublished } from './testing';

const config = (dryRun: boolean) =>
  parseControllerConfig({ dryRun, targets: [{ name: 'chat-k8s', kind: 'k8s-deployment', resource: { namespace: 'chat', deployment: 'chat' }, minCapacity: 1, maxCapacity: 10, policies: [{ type: 'target-tracking', name: 'tt', targetPerUnit: 100 }] }] });
const REF = { name: 'chat', namespace: 'chat', scalerMetadata: { target: 'chat-k8s' } };
const silent: DecisionLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

type Call = (request: unknown, metadata: Metadata, options: object, callback: (e: ServiceError | null, v: unknown) => void) => unknown;
function client(port: number, secure: boolean): Client & Record<string, Call> {
  const Service = (loadPackageDefinition(kedaPublished()).externalscaler as GrpcObject).ExternalScaler as ServiceClientConstructor;
  const creds = secure ? credentials.createSsl(readFileSync(TEST_TLS.cert)) : credentials.createInsecure();
  return new Service(`localhost:${port}`, creds) as Client & Record<string, Call>;
}
const ask = (c: Client & Record<string, Call>, method: string, request: unknown) =>
  new Promise<unknown>((resolve, reject) => c[method]!.call(c, request, new Metadata(), { deadline: Date.now() + 30_000 }, (e, v) => (e ? reject(e) : resolve(v))));

describe("the KEDA face's gRPC server", () => {
  let server: KedaServer | undefined;
  afterEach(async () => server?.close());
  let now = 1_000_000;
  const board = (dryRun = false, connected = async (_t: TargetConfig) => true) => new DecisionBoard(config(dryRun), connected, () => now, 15);
  const report = { evaluated: [{ target: 'chat-k8s', current: 3, desired: 5, reason: 'TargetTrackingScaleOut', applied: true }], failed: [] };

  it('answers UNAVAILABLE before the first decision and once the last is stale, so that the HPA holds', async () => {
    const b = board();
    server = await serveKeda(b, { port: 0, host: '127.0.0.1', streamSeconds: 1, log: silent });
    const c = client(server.port, false);
    const first = (await ask(c, 'GetMetrics', { scaledObjectRef: REF, metricName: 'm' }).catch((e: unknown) => e)) as ServiceError;
    expect([first.code, first.details]).toEqual([status.UNAVAILABLE, 'no decision yet for target chat-k8s']);
    b.record(report, now);
    expect(await ask(c, 'GetMetrics', { scaledObjectRef: REF, metricName: 'm' })).toEqual({ metricValues: [{ metricName: 'm', metricValue: 5, metricValueFloat: 5 }] });
    now += 5 * 15 + 1;
    const stale = (await ask(c, 'GetMetrics', { scaledObjectRef: REF, metricName: 'm' }).catch((e: unknown) => e)) as ServiceError;
    expect(stale.code).toBe(status.UNAVAILABLE);
    expect(stale.details).toContain('the last decision for target chat-k8s is 76 s old');
    c.close();
  });

  it('in a dry run reports the current replicas, so that the HPA changes nothing', async () => {
    const b = board(true);
    b.record(report, now);
    server = await serveKeda(b, { port: 0, host: '127.0.0.1', streamSeconds: 1, log: silent });
    const c = client(server.port, false);
    expect(await ask(c, 'GetMetrics', { scaledObjectRef: REF, metricName: 'm' })).toEqual({ metricValues: [{ metricName: 'm', metricValue: 3, metricValueFloat: 3 }] });
    c.close();
  });

  it('serves TLS when given a certificate, and then refuses a plaintext client', async () => {
    server = await serveKeda(board(), { port: 0, host: '127.0.0.1', streamSeconds: 1, log: silent, tls: { cert: TEST_TLS.cert, key: TEST_TLS.key } });
    const secure = client(server.port, true);
    expect(await ask(secure, 'GetMetricSpec', REF)).toEqual({ metricSpecs: [{ metricName: 'desired-replicas', targetSize: 1, targetSizeFloat: 1 }] });
    const plain = client(server.port, false);
    const refused = (await ask(plain, 'GetMetricSpec', REF).catch((e: unknown) => e)) as ServiceError;
    expect(refused.code).toBe(status.UNAVAILABLE);
    secure.close();
    plain.close();
  });

  it('streams the metric spec as soon as the stream opens, as KEDA asks of StreamMetricSpec', async () => {
    server = await serveKeda(board(), { port: 0, host: '127.0.0.1', streamSeconds: 1, log: silent });
    const c = client(server.port, false);
    const stream = (c.StreamMetricSpec as unknown as (r: unknown) => NodeJS.ReadableStream & { cancel(): void }).call(c, REF);
    const first = await new Promise((resolve) => stream.once('data', resolve));
    expect(first).toEqual({ metricSpecs: [{ metricName: 'desired-replicas', targetSize: 1, targetSizeFloat: 1 }] });
    stream.on('error', () => undefined);
    stream.cancel();
    c.close();
  });

  it('says why it cannot tell whether anyone is connected', async () => {
    server = await serveKeda(board(false, async () => Promise.reject(new Error('Redis is unreachable'))), { port: 0, host: '127.0.0.1', streamSeconds: 1, log: silent });
    const c = client(server.port, false);
    const error = (await ask(c, 'IsActive', REF).catch((e: unknown) => e)) as ServiceError;
    expect([error.code, error.details]).toEqual([status.UNAVAILABLE, 'cannot read the connections of target chat-k8s: Redis is unreachable']);
    c.close();
  });
});
