import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RedisServer } from '../test-support/redis-server';
import { ChatClient } from './client';
import { connectionsRecord, metricsOfRecord } from './connection-metrics';
import { readFleet } from '../contract/heartbeat';
import { startChatNode, type ChatNode } from './node';
import { eventually, quietLogger } from './testing';

const identity = { serviceName: 'chat', targetKind: 'ecs-service' as const, targetName: 'chat-fargate', unitId: '0f1e2d3c4b5a' };

describe('connectionsRecord', () => {
  it('is one embedded-metric record: the count by target, by unit and by service, at high resolution', () => {
    const at = new Date('2026-11-22T10:00:10Z');
    expect(JSON.parse(connectionsRecord(42, at, identity))).toEqual({
      _aws: {
        Timestamp: at.getTime(),
        CloudWatchMetrics: [
          {
            Namespace: 'Chat',
            Dimensions: [['TargetKind', 'TargetName'], ['TargetName', 'UnitId'], ['ServiceName']],
            Metrics: [{ Name: 'Connections', Unit: 'Count', StorageResolution: 1 }],
          },
        ],
      },
      TargetKind: 'ecs-service',
      TargetName: 'chat-fargate',
      UnitId: '0f1e2d3c4b5a',
      ServiceName: 'chat',
      Connections: 42,
    });
  });

  it('stands for the metrics the controller reads, with the contract\'s dimensions', () => {
    expect(metricsOfRecord(connectionsRecord(42, new Date(0), identity))).toEqual([
      'Chat/Connections TargetKind=ecs-service,TargetName=chat-fargate',
      'Chat/Connections TargetName=chat-fargate,UnitId=0f1e2d3c4b5a',
      'Chat/Connections ServiceName=chat',
    ]);
  });
});

describe('a chat node publishing its open connections', () => {
  let lines: string[] = [];
  const metricsOut = (line: string) => void lines.push(line);
  let redisServer: RedisServer;
  let redis: Redis;
  let node: ChatNode;
  const clients: ChatClient[] = [];

  beforeAll(async () => {
    redisServer = await RedisServer.start();
    redis = redisServer.client();
    node = await startChatNode(
      { port: 0, host: '127.0.0.1', redisUrl: redisServer.url, cloudwatch: true, publishSeconds: 60, ...identity },
      { metricsOut, logger: quietLogger() },
    );
  });

  beforeEach(() => {
    lines = [];
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await node.close();
    redis.disconnect();
    await redisServer.dispose();
  });

  const lastRecord = () => JSON.parse(lines.at(-1)!) as { _aws: { Timestamp: number }; Connections: number };

  it('reports exactly the connected clients to CloudWatch and to the Redis heartbeat, as they come and go', async () => {
    for (let i = 0; i < 7; i++) {
      const c = new ChatClient({ urls: [node.url], name: `u${i}` });
      clients.push(c);
      await c.connect();
    }
    await node.publishNow();

    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(connectionsRecord(7, new Date(lastRecord()._aws.Timestamp), identity));
    const fleet = await readFleet(redis);
    expect(fleet.connections).toBe(7);
    expect(fleet.nodes).toEqual([expect.objectContaining({ nodeId: identity.unitId, targetName: 'chat-fargate', connections: 7, ready: true, draining: false })]);

    for (const c of clients.splice(0, 3)) c.close();
    await eventually(() => expect(node.connections()).toBe(4));
    await node.publishNow();

    expect(lastRecord().Connections).toBe(4);
    expect((await readFleet(redis)).connections).toBe(4);
  });

  it('publishes on its own every publishSeconds', async () => {
    const ticking = await startChatNode(
      { port: 0, host: '127.0.0.1', redisUrl: redisServer.url, cloudwatch: true, publishSeconds: 1, unitId: 'ticking', targetName: 'chat-ticking' },
      { metricsOut, logger: quietLogger() },
    );
    const c = new ChatClient({ urls: [ticking.url], name: 'tick' });
    clients.push(c);
    await c.connect();
    await eventually(async () => expect((await readFleet(redis, 'chat-ticking')).connections).toBe(1), 5000);
    await eventually(() => expect(lines.filter((l) => l.includes('"UnitId":"ticking"')).length).toBeGreaterThanOrEqual(2), 5000);
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
