import { ChatClient } from '../chat/client';
import { ChatNodeProcess } from './chat-node-process';
import { RedisServer } from './redis-server';

/** A real redis-server and `count` real chat node processes on it, and the clients a test opens. */
export class ChatCluster {
  private readonly clients: ChatClient[] = [];

  private constructor(
    readonly redis: RedisServer,
    readonly nodes: ChatNodeProcess[],
  ) {}

  static async start(count: number, args: readonly string[] = []): Promise<ChatCluster> {
    const redis = await RedisServer.start();
    const nodes = await Promise.all(Array.from({ length: count }, () => ChatNodeProcess.start({ redisUrl: redis.url, args })));
    return new ChatCluster(redis, nodes);
  }

  /** A client closed with the cluster; not yet connected. */
  client(urls: string | readonly string[], name: string): ChatClient {
    const c = new ChatClient({ urls: typeof urls === 'string' ? [urls] : urls, name });
    this.clients.push(c);
    return c;
  }

  /** A connected client. */
  async connected(urls: string | readonly string[], name: string): Promise<ChatClient> {
    const c = this.client(urls, name);
    await c.connect();
    return c;
  }

  async dispose(): Promise<void> {
    for (const c of this.clients) c.close();
    await Promise.all(this.nodes.map((n) => n.stop()));
    await this.redis.dispose();
  }
}
