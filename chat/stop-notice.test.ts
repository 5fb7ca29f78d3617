import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DescribeTasksCommand, ECSClient } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ChatClient } from './client';
import { startChatNode } from './node';
import { watchStopNotice } from './stop-notice';
import { quietLogger } from './testing';

/** A metadata service on loopback: the routes a test gives it, and a log of what was asked. */
async function metadataServer(routes: Record<string, (headers: Record<string, unknown>) => { status: number; body: string }>) {
  const asked: string[] = [];
  const server: Server = createServer((req, res) => {
    asked.push(`${req.method} ${req.url}`);
    const route = routes[`${req.method} ${req.url}`];
    const { status, body } = route ? route(req.headers) : { status: 404, body: 'not found' };
    res.writeHead(status).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, asked, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const closing: Array<() => unknown> = [];
afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close();
});

describe("watching for the platform's notice that a unit is going", () => {
  it('an ASG instance drains when its target lifecycle state turns Terminated, with an IMDSv2 token', async () => {
    let state = 'InService';
    const imds = await metadataServer({
      'PUT /latest/api/token': () => ({ status: 200, body: 'token-1' }),
      'GET /latest/meta-data/autoscaling/target-lifecycle-state': (headers) => (headers['x-aws-ec2-metadata-token'] === 'token-1' ? { status: 200, body: state } : { status: 401, body: '' }),
    });
    closing.push(imds.close);
    const notices: string[] = [];
    const watch = watchStopNotice({ AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url }, { everySeconds: 0.05, instanceMetadata: true }, (why) => notices.push(why), (e) => notices.push(`error ${String(e)}`));
    closing.push(() => watch?.stop());
    await expect.poll(() => imds.asked.filter((a) => a.startsWith('GET')).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    expect(notices).toEqual([]);
    state = 'Terminated';
    await expect.poll(() => notices, { timeout: 30_000 }).toEqual(['Auto Scaling target lifecycle state Terminated']);
    expect(imds.asked.filter((a) => a.startsWith('PUT'))).toEqual(['PUT /latest/api/token']);
  });

  it('an ECS task drains when DescribeTasks says it is DEACTIVATING, asking for its own task in its own cluster', async () => {
    const metadata = await metadataServer({
      'GET /task': () => ({ status: 200, body: JSON.stringify({ Cluster: 'arn:aws:ecs:us-east-1:1:cluster/chat', TaskARN: 'arn:aws:ecs:us-east-1:1:task/chat/abc' }) }),
    });
    closing.push(metadata.close);
    const ecs = mockClient(ECSClient);
    closing.push(() => ecs.restore());
    ecs.on(DescribeTasksCommand).resolvesOnce({ tasks: [{ lastStatus: 'RUNNING', desiredStatus: 'RUNNING' }] }).resolves({ tasks: [{ lastStatus: 'DEACTIVATING', desiredStatus: 'STOPPED' }] });
    const notices: string[] = [];
    const watch = watchStopNotice({ ECS_CONTAINER_METADATA_URI_V4: metadata.url }, { everySeconds: 0.05, instanceMetadata: false }, (why) => notices.push(why), (e) => notices.push(`error ${String(e)}`), { ecs: new ECSClient({}) });
    closing.push(() => watch?.stop());
    await expect.poll(() => notices, { timeout: 30_000 }).toEqual(['ECS task DEACTIVATING']);
    expect(ecs.commandCalls(DescribeTasksCommand).map((c) => c.args[0].input)).toEqual([
      { cluster: 'arn:aws:ecs:us-east-1:1:cluster/chat', tasks: ['arn:aws:ecs:us-east-1:1:task/chat/abc'] },
      { cluster: 'arn:aws:ecs:us-east-1:1:cluster/chat', tasks: ['arn:aws:ecs:us-east-1:1:task/chat/abc'] },
    ]);
    expect(metadata.asked).toEqual(['GET /task']);
  });

  it('keeps watching through a failed look, and says so', async () => {
    let fail = true;
    const imds = await metadataServer({
      'PUT /latest/api/token': () => (fail ? { status: 500, body: '' } : { status: 200, body: 't' }),
      'GET /latest/meta-data/autoscaling/target-lifecycle-state': () => ({ status: 200, body: 'Standby' }),
    });
    closing.push(imds.close);
    const seen: string[] = [];
    const watch = watchStopNotice({ AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url }, { everySeconds: 0.05, instanceMetadata: true }, (why) => seen.push(why), (e) => seen.push(String(e)));
    closing.push(() => watch?.stop());
    await expect.poll(() => seen[0], { timeout: 30_000 }).toBe('Error: instance metadata token: HTTP 500');
    fail = false;
    await expect.poll(() => seen.at(-1), { timeout: 30_000 }).toBe('Auto Scaling target lifecycle state Standby');
  });

  it('has nothing to watch in local mode', () => {
    expect(watchStopNotice({}, { everySeconds: 1, instanceMetadata: false }, () => undefined, () => undefined)).toBeUndefined();
  });

  it('a chat node told by its platform moves its clients at once, long before any SIGTERM', async () => {
    let state = 'InService';
    const imds = await metadataServer({
      'PUT /latest/api/token': () => ({ status: 200, body: 't' }),
      'GET /latest/meta-data/instance-id': () => ({ status: 200, body: 'i-0123456789abcdef0' }),
      'GET /latest/meta-data/autoscaling/target-lifecycle-state': () => ({ status: 200, body: state }),
    });
    closing.push(imds.close);
    const env = { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url, CHAT_INSTANCE_METADATA: 'on' };
    const options = { port: 0, host: '127.0.0.1', cluster: false, instanceMetadata: true, redisUrl: 'redis://127.0.0.1:1', drainWindowSeconds: 0.5, stopNoticeSeconds: 1 };
    const [going, staying] = [await startChatNode(options, { env, logger: quietLogger() }), await startChatNode({ ...options, unitId: 'i-other' }, { env: {}, logger: quietLogger() })];
    closing.push(() => going.close(), () => staying.close());
    expect(going.nodeId).toBe('i-0123456789abcdef0');
    const user = new ChatClient({ urls: [going.url, staying.url], name: 'u' });
    closing.push(() => user.close());
    await user.connect();
    const moved = new Promise((resolve) => user.once('moved', resolve));
    state = 'Terminated';
    await expect(moved).resolves.toEqual({ from: going.url, to: staying.url });
    await going.closed;
  });
});
