import { ChatClient, type ChatClientOptions } from '../chat/client';
import type { ChatNodeInput } from '../chat/config';
import { startChatNode, type ChatNode } from '../chat/node';
import { quietLogger } from '../chat/testing';
import { RedisServer } from './redis-server';

/** A real redis-server, chat nodes in this process on it, and the clients a test opens: all closed with it. */
export class InProcessChat {
  private readonly nodes: ChatNode[] = [];
  private readonly clients: ChatClient[] = [];

  private constructor(readonly redis: RedisServer) {}

  static async start(): Promise<InProcessChat> {
    return new InProcessChat(await RedisServer.start());
  }

  /** A node on this Redis, listening on a free loopback port; `options` override the node's defaults. */
  async node(options: Partial<ChatNodeInput> = {}): Promise<ChatNode> {
    const node = await startChatNode({ port: 0, host: '127.0.0.1', redisUrl: this.redis.url, ...options }, { logger: quietLogger() });
    this.nodes.push(node);
    return node;
  }

  /** A client closed with the rest; not yet connected. */
  client(urls: readonly string[], name: string, options: Partial<ChatClientOptions> = {}): ChatClient {
    const c = new ChatClient({ urls, name, ...options });
    this.clients.push(c);
    return c;
  }

  async dispose(): Promise<void> {
    for (const c of this.clients) c.close();
    for (const n of this.nodes) await n.close();
    await this.redis.dispose();
  }
}
