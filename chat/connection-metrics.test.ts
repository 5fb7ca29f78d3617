import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RedisServer } from '../test-support/redis-server';
import { ChatClient } from './client';
import { connectionDatums } from './connection-metrics';
import { readFleet } from './heartbeat';
import { startChatNode, type ChatNode } from './node';
import { eventually, quietLogger } from './testing';

const identity = { serviceName: 'chat', targetKind: 'ecs-service' as const, targetName: 'chat-fargate', unitId: '0f1e2d3c4b5a' };

describe('connectionDatums', () => {
  it('puts the count by target, by unit and by service, at high resolution', () => {
    const at = new Date('2026-11-22T10:00:10Z');
    const datum = (dims: Record<string, string>) => ({
      MetricName: 'Connections',
      Dimensions: Object.entries(dims).map(([Name, Value]) => ({ Name, Value })),
      Timestamp: at,
      Value: 42,
      Unit: 'Count',
      StorageResolution: 1,
    });
    expect(connectionDatums(42, at, identity)).toEqual([
      datum({ TargetKind: 'ecs-service', TargetName: 'chat-fargate' }),
      datum({ TargetName: 'chat-fargate', UnitId: '0f1e2d3c4b5a' }),
      datum({ ServiceName: 'chat' }),
    ]);
  });
});

describe('a chat node publishing its open connections', () => {
  const cloudwatch = mockClient(CloudWatchClient);
  let redisServer: RedisServer;
  let redis: Redis;
  let node: ChatNode;
  const clients: ChatClient[] = [];

  beforeAll(async () => {
    redisServer = await RedisServer.start();
    redis = redisServer.client();
    node = await startChatNode(
      { port: 0, host: '127.0.0.1', redisUrl: redisServer.url, cloudwatch: true, publishSeconds: 60, ...identity },
      { cloudwatch: new CloudWatchClient({ region: 'eu-west-1' }), logger: quietLogger() },
    );
  });

  beforeEach(() => {
    cloudwatch.reset();
    cloudwatch.on(PutMetricDataCommand).resolves({});
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await node.close();
    redis.disconnect();
    await redisServer.dispose();
  });

  const lastPut = () => cloudwatch.commandCalls(PutMetricDataCommand).at(-1)!.args[0].input;

  it('reports exactly the connected clients to CloudWatch and to the Redis heartbeat, as they come and go', async () => {
    for (let i = 0; i < 7; i++) {
      const c = new ChatClient({ urls: [node.url], name: `u${i}` });
      clients.push(c);
      await c.connect();
    }
    await node.publishNow();

    expect(cloudwatch.commandCalls(PutMetricDataCommand)).toHaveLength(1);
    const put = lastPut();
    expect(put.Namespace).toBe('Chat');
    expect(put.MetricData).toEqual(connectionDatums(7, put.MetricData![0]!.Timestamp as Date, identity));
    const fleet = await readFleet(redis);
    expect(fleet.connections).toBe(7);
    expect(fleet.nodes).toEqual([expect.objectContaining({ nodeId: identity.unitId, targetName: 'chat-fargate', connections: 7, ready: true, draining: false })]);

    for (const c of clients.splice(0, 3)) c.close();
    await eventually(() => expect(node.connections()).toBe(4));
    await node.publishNow();

    expect(lastPut().MetricData!.map((d) => d.Value)).toEqual([4, 4, 4]);
    expect((await readFleet(redis)).connections).toBe(4);
  });

  it('keeps serving when CloudWatch refuses the datapoints', async () => {
    cloudwatch.on(PutMetricDataCommand).rejects(new Error('ThrottlingException'));
    await expect(node.publishNow()).resolves.toBeUndefined();
    expect((await fetch(`${node.url}/readyz`)).status).toBe(200);
  });

  it('publishes on its own every publishSeconds', async () => {
    const ticking = await startChatNode(
      { port: 0, host: '127.0.0.1', redisUrl: redisServer.url, cloudwatch: true, publishSeconds: 1, unitId: 'ticking', targetName: 'chat-ticking' },
      { cloudwatch: new CloudWatchClient({ region: 'eu-west-1' }), logger: quietLogger() },
    );
    const c = new ChatClient({ urls: [ticking.url], name: 'tick' });
    clients.push(c);
    await c.connect();
    await eventually(async () => expect((await readFleet(redis, 'chat-ticking')).connections).toBe(1), 5000);
    await eventually(() => expect(cloudwatch.commandCalls(PutMetricDataCommand).length).toBeGreaterThanOrEqual(2), 5000);
    await ticking.close();
    expect((await readFleet(redis, 'chat-ticking')).nodes).toEqual([]);
  });

  it('drops a node from the fleet once its heartbeat expires', async () => {
    await redis.set('chat:node:gone', JSON.stringify({ nodeId: 'gone', connections: 99 }), 'PX', 1);
    await redis.sadd('chat:nodes', 'gone');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await readFleet(redis)).nodes.map((n) => n.nodeId)).toEqual([identity.unitId]);
    expect(await redis.sismember('chat:nodes', 'gone')).toBe(0);
  });
});
