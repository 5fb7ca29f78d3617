import { createServer, type Server, type Socket, connect } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * The local fleet's load balancer, as an NLB would be: every new TCP connection goes to the next ready
 * node in turn, and stays there; a draining node gets no new ones, and its open ones are left to it.
 * A WebSocket client is one connection, so no stickiness is needed.
 */
export class LocalBalancer {
  private server: Server | undefined;
  private next = 0;
  private readonly sockets = new Set<Socket>();
  /** Connections turned away because no node was ready. */
  refused = 0;

  constructor(private readonly readyNodes: () => ReadonlyArray<{ url: string }>) {}

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    this.server = createServer((client) => this.route(client));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen({ port, host, exclusive: true }, resolve);
    });
    return `http://${host}:${(this.server.address() as AddressInfo).port}`;
  }

  private route(client: Socket): void {
    this.sockets.add(client);
    client.once('close', () => this.sockets.delete(client));
    const nodes = this.readyNodes();
    if (nodes.length === 0) {
      this.refused++;
      client.destroy();
      return;
    }
    const target = new URL(nodes[this.next++ % nodes.length]!.url);
    const upstream = connect(Number(target.port), target.hostname);
    this.sockets.add(upstream);
    upstream.once('close', () => this.sockets.delete(upstream));
    client.pipe(upstream).pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.once('error', drop);
    upstream.once('error', drop);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
