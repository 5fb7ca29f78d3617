import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCALER_BIN = fileURLToPath(new URL('../bin/scaler.js', import.meta.url));

/** A `scaler` command as a real child process, its output kept. */
export class ScalerProcess {
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(private readonly child: ChildProcess) {
    child.stdout!.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  static start(args: readonly string[], env: NodeJS.ProcessEnv): ScalerProcess {
    return new ScalerProcess(spawn(process.execPath, [SCALER_BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] }));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Every JSON line it logged on standard output. */
  logLines(): Array<Record<string, unknown>> {
    return this.stdout.split('\n').flatMap((line) => {
      try {
        return line.startsWith('{') ? [JSON.parse(line) as Record<string, unknown>] : [];
      } catch {
        return [];
      }
    });
  }

  /** Waits until its standard error says `text`; an exit meanwhile fails at once, with what it said. */
  async saidOnStderr(text: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.stderr.includes(text)) {
      if (!this.running) throw new Error(`scaler exited before saying ${JSON.stringify(text)}:\n${this.stderr}${this.stdout}`);
      if (Date.now() > deadline) throw new Error(`scaler did not say ${JSON.stringify(text)} within ${timeoutMs} ms:\n${this.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.running) this.child.kill(signal);
    return this.exited;
  }
}
