import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatNodeProcess } from '../test-support/chat-node-process';
import { RedisServer, TEST_TLS } from '../test-support/redis-server';
import { HEARTBEAT_KEYS } from '../contract/connections';
import { eventually } from './testing';

// On AWS a node is given Redis in parts (REDIS_HOST, REDIS_PORT, and REDIS_AUTH_TOKEN from Secrets
// Manager) and builds a rediss:// URL from them at start-up. Here a real redis-server serves TLS only and
// requires the token, as ElastiCache with encryption in transit and AUTH does.
describe('a node given Redis in parts, as the stacks give it', () => {
  const TOKEN = 'a-token-with/odd:chars@and#more';
  let redis: RedisServer;
  const nodes: ChatNodeProcess[] = [];
  const start = async (token: string, waitReady: boolean) => {
    const node = await ChatNodeProcess.start({
      env: { REDIS_HOST: 'localhost', REDIS_PORT: String(redis.port), REDIS_AUTH_TOKEN: token, NODE_EXTRA_CA_CERTS: TEST_TLS.cert, CHAT_PUBLISH_SECONDS: '1' },
      waitReady,
    });
    nodes.push(node);
    return node;
  };

  beforeAll(async () => {
    redis = await RedisServer.start({ tls: true, password: TOKEN });
  });
  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await redis.dispose();
  });

  it('connects over TLS with the AUTH token and is ready', async () => {
    const node = await start(TOKEN, true);
    expect((await node.readyz()).status).toBe(200);
    const redisClient = redis.client();
    try {
      await eventually(async () => expect(await redisClient.smembers(HEARTBEAT_KEYS.nodes)).toContain((await node.stats()).nodeId));
    } finally {
      redisClient.disconnect();
    }
  });

  it('stops with a clear error and a failing exit code when Redis refuses its token, so the platform restarts it', async () => {
    const node = await start('not-the-token', false);
    const exit = await node.exited;
    expect(exit.code).toBe(1);
    expect(node.output).toContain('redis refused the AUTH token');
    expect(node.output).not.toContain('Unhandled');
    expect(node.output).not.toMatch(/^\s+at /m);
  });
});
