import { createServer, type Server, type Socket, connect } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * The local fleet's load balancer, as an ALB is to a WebSocket: every new connection goes to the next
 * ready node in turn and stays there; a deregistered node gets no new ones. When a node's
 * deregistration delay ends, `closeTarget` closes whatever is still open to it: the worst case AWS's
 * documentation allows, so that a drain that runs late shows as cut connections.
 */
export class LocalBalancer {
  private server: Server | undefined;
  private next = 0;
  private readonly sockets = new Set<Socket>();
  private readonly byTarget = new Map<string, Set<Socket>>();
  /** Connections turned away because no node was ready. */
  refused = 0;
  /** Connections still open to a node when its deregistration delay ended, and so closed by the balancer. */
  cut = 0;

  constructor(private readonly readyNodes: () => ReadonlyArray<{ url: string }>) {}

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    this.server = createServer((client) => this.route(client));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen({ port, host, exclusive: true }, resolve);
    });
    return `http://${host}:${(this.server.address() as AddressInfo).port}`;
  }

  /** The deregistration delay of the node at `url` has ended: closes what is still open to it; returns how many. */
  closeTarget(url: string): number {
    const open = [...(this.byTarget.get(url) ?? [])];
    for (const client of open) client.destroy();
    this.byTarget.delete(url);
    this.cut += open.length;
    return open.length;
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
    const url = nodes[this.next++ % nodes.length]!.url;
    const target = new URL(url);
    const upstream = connect(Number(target.port), target.hostname);
    this.sockets.add(upstream);
    const onTarget = this.byTarget.get(url) ?? new Set<Socket>();
    this.byTarget.set(url, onTarget);
    onTarget.add(client);
    client.pipe(upstream).pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.once('close', () => {
      onTarget.delete(client);
      upstream.destroy();
    });
    upstream.once('close', () => {
      this.sockets.delete(upstream);
      client.destroy();
    });
    client.once('error', drop);
    upstream.once('error', drop);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
