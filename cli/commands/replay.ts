import { resolve } from 'node:path';
import type { Command } from 'commander';
import { parseControllerConfig, parseTraceCsv, replay, scaleToMean, summarize, TraceCursor, type ReplaySummary, type ReplayTick } from '../../core';
import { CliInputError, defaultConfigPath, isoMinute, parseNumberOption, readJson, readText, requireFile, sharedTracesDir } from '../io';

interface ReplayCommandOptions {
  config: string;
  target?: string;
  mean: number;
  fromDay: number;
  days: number;
  step: number;
  initial?: number;
  quiet?: boolean;
}

const DAY = 86_400;

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description('Replay a load trace through the scaling engine and show every decision that changed capacity, with its reason')
    .argument('[trace]', 'CSV with the header timestamp,value', resolve(sharedTracesDir, 'nyc_taxi.csv'))
    .option('-c, --config <file>', 'controller configuration (JSON)', defaultConfigPath)
    .option('-t, --target <name>', 'target to replay (default: the first)')
    .option('--mean <connections>', 'scale the trace so its sample mean is this many connections', parseNumberOption('--mean', { min: 1 }), 20_000)
    .option('--from-day <days>', 'start this many days into the trace', parseNumberOption('--from-day', { min: 0 }), 3)
    .option('--days <days>', 'how many days to replay', parseNumberOption('--days', { min: 0 }), 2)
    .option('--step <seconds>', 'seconds between decisions', parseNumberOption('--step', { min: 1, integer: true }), 60)
    .option('--initial <units>', 'capacity at the start (default: what the first sample needs)', parseNumberOption('--initial', { min: 0, integer: true }))
    .option('-q, --quiet', 'print only the summary')
    .addHelpText(
      'after',
      '\nDecisions apply at once; the replay shows what the engine decides and why. Start-up time, cost and\nunder-provisioning are scored by the backtester.',
    )
    .action((tracePath: string, options: ReplayCommandOptions) => {
      const config = parseControllerConfig(readJson(options.config, 'configuration'));
      const target = options.target === undefined ? config.targets[0]! : config.targets.find((t) => t.name === options.target);
      if (target === undefined) throw new CliInputError(`unknown target ${JSON.stringify(options.target)}`);
      requireFile(tracePath, 'pass a trace CSV (timestamp,value) as the first argument');
      const trace = scaleToMean(parseTraceCsv(readText(tracePath, 'trace'), tracePath), options.mean);

      const from = trace.times[0]! + options.fromDay * DAY;
      const to = Math.min(from + options.days * DAY, trace.times[trace.times.length - 1]!);
      if (from > to) throw new CliInputError(`--from-day ${options.fromDay} is past the end of the trace`);
      const perUnit = target.policies.find((p) => p.type === 'target-tracking')?.targetPerUnit;
      const startLoad = new TraceCursor(trace).valueAt(from);
      const initial = options.initial ?? clamp(perUnit === undefined ? target.minCapacity : Math.ceil(startLoad / perUnit), target.minCapacity, target.maxCapacity);

      console.log(`Replaying ${tracePath} (mean ${options.mean} connections) through target ${target.name} (${target.kind}, ${target.minCapacity}..${target.maxCapacity} units)`);
      console.log(`from ${isoMinute(from)} to ${isoMinute(to)} UTC, a decision every ${options.step}s, starting at ${initial} units\n`);
      const ticks = replay(target, trace, { from, to, stepSeconds: options.step, initialCapacity: initial });
      printSummary(summarize(printChanges(ticks, options.quiet ?? false), options.step));
    });
}

/** Passes ticks through, printing each one that changed capacity. */
function* printChanges(ticks: Iterable<ReplayTick>, quiet: boolean): Generator<ReplayTick> {
  for (const tick of ticks) {
    const { time, connections, decision } = tick;
    if (!quiet && decision.desired !== decision.current) {
      const move = `${String(decision.current).padStart(3)} -> ${String(decision.desired).padEnd(3)}`;
      console.log(`${isoMinute(time)}  ${Math.round(connections).toLocaleString('en-US').padStart(7)} conn  ${move} ${decision.reason.padEnd(22)} ${decision.message}`);
    }
    yield tick;
  }
}

function printSummary(s: ReplaySummary): void {
  console.log(`\n${s.decisions} decisions: ${s.scaleOuts} scale-outs, ${s.scaleIns} scale-ins; peak ${s.peakCapacity} units for ${Math.round(s.peakConnections).toLocaleString('en-US')} connections; ${s.unitHours.toFixed(1)} unit-hours`);
  const reasons = Object.entries(s.reasons).sort((a, b) => b[1] - a[1]);
  if (reasons.length > 0) console.log(`changes by reason: ${reasons.map(([r, n]) => `${r} ${n}`).join(', ')}`);
}

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));
