import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port';

const SCALER_BIN = fileURLToPath(new URL('../bin/scaler.js', import.meta.url));

export interface StartOptions {
  /** REDIS_URL; leave it out to give the node Redis in parts through `env`, as on AWS. */
  readonly redisUrl?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly port?: number;
  readonly args?: readonly string[];
  /** Wait until /readyz says ready (the default). */
  readonly waitReady?: boolean;
}

/** `scaler chat` as a real child process, as a container or systemd would run it. */
export class ChatNodeProcess {
  output = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  static async start(options: StartOptions): Promise<ChatNodeProcess> {
    const port = options.port ?? (await freePort());
    const child = spawn(process.execPath, [SCALER_BIN, 'chat', '--port', String(port), '--host', '127.0.0.1', ...(options.args ?? [])], {
      env: { ...process.env, ...(options.redisUrl === undefined ? {} : { REDIS_URL: options.redisUrl }), ...options.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const node = new ChatNodeProcess(child, port);
    // Generous: on a busy machine a process takes seconds to start; a node that exits fails at once.
    if (options.waitReady ?? true) await node.waitUntil(async () => (await node.readyz()).status === 200, 180_000, 'ready');
    return node;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async readyz(): Promise<{ status: number; body: { ready: boolean; reasons: string[] } | undefined }> {
    try {
      const res = await fetch(`${this.url}/readyz`);
      return { status: res.status, body: (await res.json()) as { ready: boolean; reasons: string[] } };
    } catch {
      return { status: 0, body: undefined };
    }
  }

  async stats(): Promise<{ nodeId: string; connections: number; draining: boolean; peers: number; memory: NodeJS.MemoryUsage }> {
    return (await (await fetch(`${this.url}/stats`)).json()) as never;
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  async waitUntil(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (!this.running) throw new Error(`chat node on ${this.port} exited while waiting to be ${what}:\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`chat node on ${this.port} not ${what} after ${timeoutMs} ms:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
