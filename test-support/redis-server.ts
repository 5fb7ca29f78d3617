import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { freePort } from './free-port';
import { requireProgram } from './prerequisites';

/** A self-signed certificate for `localhost`, valid for a century: test-only, never deployed. */
export const TEST_TLS = {
  cert: fileURLToPath(new URL('./tls/localhost.crt', import.meta.url)),
  key: fileURLToPath(new URL('./tls/localhost.key', import.meta.url)),
} as const;

export interface RedisServerOptions {
  /** Serve TLS only (as ElastiCache with encryption in transit), with the test certificate. */
  readonly tls?: boolean;
  /** Require AUTH with this password (as ElastiCache's AUTH token). */
  readonly password?: string;
}

/** A real redis-server on a free loopback port, in memory only, that a test can stop and restart. */
export class RedisServer {
  private process: ChildProcess | undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), 'chat-redis-'));

  private constructor(
    readonly port: number,
    private readonly options: RedisServerOptions,
  ) {}

  static async start(options: RedisServerOptions = {}): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), options);
    await server.restart();
    return server;
  }

  get url(): string {
    const auth = this.options.password === undefined ? '' : `:${encodeURIComponent(this.options.password)}@`;
    return this.options.tls ? `rediss://${auth}localhost:${this.port}` : `redis://${auth}127.0.0.1:${this.port}`;
  }

  /** Starts it again on the same port (after stop()). */
  async restart(): Promise<void> {
    const bin = requireProgram('redis-server');
    const listen = this.options.tls
      ? ['--port', '0', '--tls-port', String(this.port), '--tls-cert-file', TEST_TLS.cert, '--tls-key-file', TEST_TLS.key, '--tls-auth-clients', 'no']
      : ['--port', String(this.port)];
    const auth = this.options.password === undefined ? [] : ['--requirepass', this.options.password];
    this.process = spawn(bin, [...listen, ...auth, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir], {
      stdio: 'ignore',
    });
    // Generous: on a busy machine redis-server may take a while to answer; a missing binary fails at once.
    const deadline = Date.now() + 120_000;
    for (;;) {
      const probe = new Redis(this.url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, ...this.tlsTrust() });
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        if ((await probe.ping()) === 'PONG') return;
      } catch {
        if (Date.now() > deadline) throw new Error(`redis-server did not start on port ${this.port}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      } finally {
        probe.disconnect();
      }
    }
  }

  /** Kills it (SIGKILL, as a crash would). Data held in memory is gone. */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  client(): Redis {
    return new Redis(this.url, { maxRetriesPerRequest: 1, ...this.tlsTrust() });
  }

  /** A client of this process trusts the test certificate; a chat node is given NODE_EXTRA_CA_CERTS. */
  private tlsTrust() {
    return this.options.tls ? { tls: { ca: readFileSync(TEST_TLS.cert) } } : {};
  }
}
