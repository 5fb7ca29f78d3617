import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { InvalidInputError } from '../core';

const require = createRequire(import.meta.url);

/** One point of the dashboard's chart, at a simulated time. */
export interface DashboardSample {
  readonly at: number;
  readonly connections: number;
  readonly ready: number;
  readonly desired: number;
  readonly forecast: number | null;
  readonly upper: number | null;
}

/** One decision, as the handler logged it. */
export interface DashboardDecision {
  readonly at: number;
  readonly target: string;
  readonly current: number;
  readonly desired: number;
  readonly reason: string;
  readonly message: string;
  readonly applied: boolean;
}

const STATIC: Record<string, { file: () => string; type: string }> = {
  '/': { file: () => new URL('./dashboard-page/index.html', import.meta.url).pathname, type: 'text/html; charset=utf-8' },
  '/app.js': { file: () => new URL('./dashboard-page/app.js', import.meta.url).pathname, type: 'text/javascript; charset=utf-8' },
  '/uplot.js': { file: () => require.resolve('uplot/dist/uPlot.iife.min.js'), type: 'text/javascript; charset=utf-8' },
  '/uplot.css': { file: () => require.resolve('uplot/dist/uPlot.min.css'), type: 'text/css; charset=utf-8' },
};

/**
 * Local mode's live dashboard on localhost: the page (uPlot, served from the project), and a stream of
 * samples and decisions (server-sent events) that the page draws as they come. /backtest serves the
 * last backtest report, if `npm run backtest` has written one.
 */
export class Dashboard {
  private server: Server | undefined;
  private readonly samples: DashboardSample[] = [];
  private readonly decisions: DashboardDecision[] = [];
  private readonly streams = new Set<ServerResponse>();
  private info: Record<string, unknown> = {};
  private readonly warnings: string[] = [];

  constructor(private readonly backtestReport = resolve('backtest-report/report.html')) {}

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    this.server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (req.method !== 'GET') return void res.writeHead(405).end();
      if (path === '/events') return this.stream(res);
      if (path === '/backtest') {
        if (existsSync(this.backtestReport)) return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(readFileSync(this.backtestReport));
        return void res.writeHead(404, { 'content-type': 'text/plain' }).end('No backtest report yet: run `npm run backtest` (or `npx scaler backtest <trace> --out backtest-report`).\n');
      }
      const file = STATIC[path];
      if (file === undefined) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(readFileSync(file.file()));
    });
    await new Promise<void>((done, reject) => {
      this.server!.once('error', (error: NodeJS.ErrnoException) =>
        reject(error.code === 'EADDRINUSE' || error.code === 'EACCES' ? new InvalidInputError(`the dashboard cannot listen on ${host}:${port} (${error.code === 'EADDRINUSE' ? 'in use' : 'not allowed'}): choose another port with --port`) : error),
      );
      this.server!.listen({ port, host, exclusive: true }, done);
    });
    return `http://${host}:${(this.server.address() as AddressInfo).port}`;
  }

  /** What the page shows above the chart: the trace, the speed, the target's limits. */
  describe(info: Record<string, unknown>): void {
    this.info = info;
    this.broadcast('info', info);
  }

  sample(sample: DashboardSample): void {
    this.samples.push(sample);
    this.broadcast('sample', sample);
  }

  decision(decision: DashboardDecision): void {
    this.decisions.push(decision);
    this.broadcast('decision', decision);
  }

  /** A warning shown on the page at once: the run is not saying what it should (see LagWatch). */
  warning(message: string): void {
    this.warnings.push(message);
    this.broadcast('warning', { message });
  }

  finished(summary: Record<string, unknown>): void {
    this.broadcast('finished', summary);
  }

  private stream(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    send('info', this.info);
    send('history', { samples: this.samples, decisions: this.decisions, warnings: this.warnings });
    this.streams.add(res);
    res.once('close', () => this.streams.delete(res));
  }

  private broadcast(event: string, data: unknown): void {
    for (const res of this.streams) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  async close(): Promise<void> {
    for (const res of this.streams) res.end();
    this.streams.clear();
    await new Promise<void>((done) => (this.server ? this.server.close(() => done()) : done()));
  }
}
