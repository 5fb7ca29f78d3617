import { resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import type { DashboardDecision } from '../../local/dashboard';
import { lagWarning, runLocalMode, type LocalRunReport } from '../../local/run';
import { CliInputError, loadTrace, parseNumberOption, parseTimeOption, sampleTracesDir } from '../io';

interface LocalCommandOptions {
  trace: string;
  from: number;
  hours: number;
  speed: number;
  peak: number;
  perNode: number;
  max: number;
  kind: 'ecs' | 'ec2';
  redis?: string;
  port: number;
  messages: number;
  exit?: boolean;
  holds?: boolean;
}

/** Simulated start-up of a new node for each kind: Fargate tasks start in about a minute, instances in three. */
const STARTUP_SECONDS = { ecs: 60, ec2: 180 } as const;

export function registerLocal(program: Command): void {
  program
    .command('local')
    .description('local mode: the controller scales a fleet of real chat processes through a load spike, on a live dashboard (no AWS)')
    .option('--trace <file>', 'load trace CSV (timestamp,value)', resolve(sampleTracesDir, 'Twitter_volume_AAPL.csv'))
    .option('--from <time>', 'where in the trace to start (ISO 8601 or epoch seconds)', parseTimeOption('--from'), Date.parse('2015-03-31T02:00:00Z') / 1000)
    .option('--hours <h>', 'how much of the trace to play, in trace hours', parseNumberOption('--hours', { min: 0.1 }), 2.5)
    .option('--speed <x>', 'trace seconds per real second (90: 2.5 hours in 100 s)', parseNumberOption('--speed', { min: 1 }), 90)
    .option('--peak <n>', "connections at the window's highest sample", parseNumberOption('--peak', { min: 1, integer: true }), 800)
    .option('--per-node <n>', 'connections one node is meant to hold (the target tracking target)', parseNumberOption('--per-node', { min: 1, integer: true }), 100)
    .option('--max <n>', "the fleet's maximum", parseNumberOption('--max', { min: 1, integer: true }), 10)
    .option('--kind <kind>', 'start-up like ecs (Fargate, 60 s) or ec2 (180 s), in simulated time', 'ecs')
    .option('--redis <url>', 'run the nodes on this Redis, as in production (env REDIS_URL; default: none needed)', process.env.REDIS_URL)
    .option('--port <n>', "the dashboard's port", parseNumberOption('--port', { min: 0, max: 65_535, integer: true }), 8080)
    .option('--messages <n>', 'chat messages a second across all clients', parseNumberOption('--messages', { min: 0 }), 20)
    .option('--exit', 'exit when the trace ends, instead of keeping the dashboard up until Ctrl-C')
    .option('--holds', 'print every decision, also those that change nothing (holds, stabilized scale-ins); by default one line per change')
    .action(async (flags: LocalCommandOptions) => {
      if (flags.kind !== 'ecs' && flags.kind !== 'ec2') throw new CliInputError(`--kind must be ecs or ec2, got ${JSON.stringify(flags.kind)}`);
      const stop = new AbortController();
      let interrupted = false;
      const onSignal = () => {
        if (interrupted) process.exit(130);
        interrupted = true;
        console.error('\nstopping: draining the nodes and closing everything (Ctrl-C again to force)');
        stop.abort();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      const bar = new SingleBar({ format: '{bar} {percentage}% | trace time {at} | ready nodes {ready}', hideCursor: true, clearOnComplete: true });
      let ready = 0;
      let progress = 0;
      const report = await runLocalMode({
        trace: loadTrace(flags.trace),
        traceName: flags.trace,
        from: flags.from,
        hours: flags.hours,
        speed: flags.speed,
        peakConnections: flags.peak,
        perNode: flags.perNode,
        maxNodes: flags.max,
        startupSeconds: STARTUP_SECONDS[flags.kind],
        messagesPerSecond: flags.messages,
        ...(flags.redis === undefined ? {} : { redisUrl: flags.redis }),
        dashboardPort: flags.port,
        signal: stop.signal,
        onStarted: ({ dashboard, chat }) => {
          console.log(`dashboard: ${dashboard}   (the chat itself: ${chat})`);
          bar.start(100, 0, { at: '', ready });
        },
        onFleetEvent: (e) => {
          if (e.type === 'ready') ready++;
          if (e.type === 'draining') ready--;
        },
        onDecision: (d) => {
          if (!shown(d, flags.holds === true)) return;
          bar.stop();
          const change = d.reason === 'Error' ? '      ' : `${d.current} -> ${d.desired}`.padEnd(6);
          console.log(`${new Date(d.at * 1000).toISOString().slice(11, 19)}  ${change}  ${d.reason.padEnd(24)} ${d.message}`);
          bar.start(100, progress, { at: '', ready });
        },
        onProgress: (at, fraction) => {
          progress = Math.min(100, Math.round(fraction * 100));
          bar.update(progress, { at: new Date(at * 1000).toISOString().slice(11, 16), ready });
        },
        beforeDashboardCloses: async (r) => {
          bar.stop();
          printSummary(r);
          const warning = lagWarning(r, { peakConnections: flags.peak, speed: flags.speed });
          if (warning !== undefined) console.error(`warning: ${warning}`);
          if (flags.exit || stop.signal.aborted) return;
          console.log('the dashboard stays up; Ctrl-C to quit');
          await new Promise<void>((done) => stop.signal.addEventListener('abort', () => done(), { once: true }));
        },
      });
      bar.stop();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      if (report.load.errors.connect > 0) process.exitCode = 1;
    });
}

function printSummary(r: LocalRunReport): void {
  const changes = r.decisions.filter((d) => d.applied).length;
  console.log(
    `done: ${r.decisions.length} decisions (${changes} changes), up to ${r.peakReady} ready nodes; ` +
      `${r.load.connections.peak} clients at the peak, ${r.load.connections.moved} moved by drains, ${r.load.errors.connect} refused, ${r.cutByBalancer} cut by the balancer; ` +
      `${r.load.messages.accepted} of ${r.load.messages.sent} messages acknowledged, ${r.load.messages.lostAcknowledged ?? 0} of them lost`,
  );
}


/** The decision log's lines: every change and every error, and with --holds the decisions that change nothing. */
export function shown(d: Pick<DashboardDecision, 'current' | 'desired' | 'reason'>, holds: boolean): boolean {
  return holds || d.current !== d.desired || d.reason === 'Error';
}
