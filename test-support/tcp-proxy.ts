import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP relay on a loopback port to another port, that a test can cut (every connection through it is
 * reset, and new ones are refused) and mend: one node's network path to Redis failing alone.
 */
export class TcpProxy {
  private readonly sockets = new Set<Socket>();
  private cut = false;

  private constructor(private readonly server: Server) {}

  static async start(targetPort: number): Promise<TcpProxy> {
    const server = createServer();
    const proxy = new TcpProxy(server);
    server.on('connection', (inbound) => {
      if (proxy.cut) return inbound.destroy();
      const outbound = createConnection({ port: targetPort, host: '127.0.0.1' });
      for (const [a, b] of [[inbound, outbound], [outbound, inbound]] as const) {
        proxy.sockets.add(a);
        a.on('error', () => b.destroy());
        a.on('close', () => {
          proxy.sockets.delete(a);
          b.destroy();
        });
        a.pipe(b);
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Resets every connection through it, and refuses new ones until `mend`. */
  sever(): void {
    this.cut = true;
    for (const socket of this.sockets) socket.destroy();
  }

  mend(): void {
    this.cut = false;
  }

  async close(): Promise<void> {
    this.sever();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
