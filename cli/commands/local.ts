import { resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import { Option, type Command } from 'commander';
import type { DashboardDecision } from '../../local/dashboard';
import { describeObjective, type TargetConfig } from '../../core';
import { runLocalMode, type LocalRunReport } from '../../local/run';
import { connectionsPerNode, defaultConnectionsPerClient, defaultLocalTarget, onLocalFleet } from '../../local/target';
import { CliInputError, configuredTarget, isPolicyBlock, loadTrace, parseNumberOption, parseTimeOption, readJson, sampleTracesDir } from '../io';

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
  via: 'lambda' | 'keda';
  config?: string;
  target?: string;
  connectionsPerClient?: number;
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
    .option('--peak <n>', "clients at the window's highest sample", parseNumberOption('--peak', { min: 1, integer: true }), 800)
    .addOption(new Option('--per-node <n>', 'connections one node is meant to hold (the target tracking target)').argParser(parseNumberOption('--per-node', { min: 1, integer: true })).default(100).conflicts('config'))
    .option('--max <n>', "the fleet's maximum; with --config, at most this many of the target's nodes run", parseNumberOption('--max', { min: 1, max: MAX_LOCAL_NODES, integer: true }), 10)
    .addOption(new Option('--kind <kind>', 'start-up like ecs (Fargate, 60 s) or ec2 (180 s), in simulated time').default('ecs').conflicts('config'))
    .option('-c, --config <file>', "run a configured target on the local fleet, with its own policies, objective, limits and warm-up: a controller configuration (scaler.config.json) or the policy block `scaler tune --out` writes")
    .option('-t, --target <name>', 'the target of --config to run (default: the first)')
    .option('--connections-per-client <n>', "connections each client counts for in the nodes' metric (default: 1, or with --config so that the peak fills 80% of the fleet at the target's connections a node)", parseNumberOption('--connections-per-client', { min: 1 }))
    .option('--redis <url>', 'run the nodes on this Redis, as in production (env REDIS_URL; default: none needed)', process.env.REDIS_URL)
    .option('--port <n>', "the dashboard's port", parseNumberOption('--port', { min: 0, max: 65_535, integer: true }), 8080)
    .option('--messages <n>', 'chat messages a second across all clients', parseNumberOption('--messages', { min: 0 }), 20)
    .option('--exit', 'exit when the trace ends, instead of keeping the dashboard up until Ctrl-C')
    .addOption(new Option('--via <face>', "how decisions reach the fleet: as the Lambda controller applies them, or through scaler keda's gRPC server and an HPA, as on Kubernetes").choices(['lambda', 'keda']).default('lambda'))
    .option('--holds', 'print every decision, also those that change nothing (holds, stabilized scale-ins); by default one line per change')
    .action(async (flags: LocalCommandOptions) => {
      if (flags.kind !== 'ecs' && flags.kind !== 'ec2') throw new CliInputError(`--kind must be ecs or ec2, got ${JSON.stringify(flags.kind)}`);
      if (flags.target !== undefined && flags.config === undefined) throw new CliInputError('--target names a target of --config; pass the configuration too');
      const { target, configuredMax } = localTarget(flags);
      const connectionsPerClient = flags.connectionsPerClient ?? defaultConnectionsPerClient(target, flags.peak);
      if (flags.config !== undefined) console.log(describeRun(target, configuredMax, flags, connectionsPerClient));
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
        target,
        connectionsPerClient,
        messagesPerSecond: flags.messages,
        ...(flags.redis === undefined ? {} : { redisUrl: flags.redis }),
        dashboardPort: flags.port,
        signal: stop.signal,
        via: flags.via,
        onHpa: (sync) => {
          bar.stop();
          console.log(`${new Date(sync.at * 1000).toISOString().slice(11, 19)}  ${`${sync.current} -> ${sync.desired}`.padEnd(6)}  ${'HPA'.padEnd(24)} the scaler reports ${sync.metric} replica(s) (${sync.reason ?? 'no reason given'}); the HPA applies them`);
          bar.start(100, progress, { at: '', ready });
        },
        onStarted: ({ dashboard, chat }) => {
          console.log(`dashboard: ${dashboard}   (the chat itself: ${chat})`);
          bar.start(100, 0, { at: '', ready });
        },
        onLag: (warning) => {
          bar.stop();
          console.error(`warning: ${warning}`);
          bar.start(100, progress, { at: '', ready });
        },
        onTuning: (line) => {
          bar.stop();
          console.log(`re-tuning ${line}`);
          bar.start(100, progress, { at: '', ready });
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
          if (r.lagWarning !== undefined) console.error(`warning: ${r.lagWarning}`);
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

/** More local nodes than this would not fit one machine: each is a Node.js process of its own. */
const MAX_LOCAL_NODES = 40;

/** The target the run scales: the configured one on the local fleet, or local mode's own. */
function localTarget(flags: LocalCommandOptions): { target: TargetConfig; configuredMax: number } {
  if (flags.config === undefined) return { target: defaultLocalTarget({ perNode: flags.perNode, maxNodes: flags.max, startupSeconds: STARTUP_SECONDS[flags.kind] }), configuredMax: flags.max };
  const json = readJson(flags.config, 'configuration');
  const configured = configuredTarget(json, { config: flags.config, target: flags.target, min: 1, max: flags.max });
  // A policy block has no target around it: its nodes start up as its forecast says they do.
  const startup = configured.policies.find((p) => p.type === 'predictive')?.startupSeconds;
  const target = isPolicyBlock(json) && startup !== undefined ? { ...configured, warmupSeconds: startup } : configured;
  return { target: onLocalFleet(target, flags.max), configuredMax: configured.maxCapacity };
}

function describeRun(target: TargetConfig, configuredMax: number, flags: LocalCommandOptions, connectionsPerClient: number): string {
  const perNode = connectionsPerNode(target);
  return [
    `target ${target.name} of ${flags.config} on the local fleet: ${target.minCapacity}-${target.maxCapacity} nodes${configuredMax > target.maxCapacity ? ` (its maximum is ${configuredMax}; --max ${flags.max} here)` : ''}`,
    `${perNode === undefined ? '' : `${perNode} connections a node, `}start-up ${target.warmupSeconds} s, each client counts as ${connectionsPerClient} connection${connectionsPerClient === 1 ? '' : 's'}`,
    ...(target.objective === undefined ? [] : [`re-tuned daily to ${describeObjective(target.objective)}`]),
  ].join('; ');
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
