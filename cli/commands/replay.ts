import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { type Decision, UNITS_LIMIT } from '../../core';
import { parseKnownKinds } from '../../kinds';
import { BACKTEST_DEFAULTS, replayTarget, writeRowsCsv } from '../../backtest';
import { TraceCursor } from '../../sim';
import { CliInputError, defaultConfigPath, isoMinute, loadTrace, parseNumberOption, pickTarget, readJson, sampleTracesDir, TRACE_ARGUMENT } from '../io';
import { prepareOutDir } from '../output';
import { describeTrace, TRACE_LIMITS } from '../trace-notes';

interface ReplayCommandOptions {
  config: string;
  target?: string;
  mean: number;
  perUnit: number;
  fromDay: number;
  days: number;
  step: number;
  initial?: number;
  startup?: number;
  out?: string;
  quiet?: boolean;
}

/** One change of capacity, as `decisions.csv` lists it. */
interface Change {
  readonly at: number;
  readonly observed: number;
  readonly decision: Decision;
}

const DAY = 86_400;

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description('Replay a load trace through one configured target and show every decision that changed capacity, with its reason')
    .argument('[trace]', TRACE_ARGUMENT, resolve(sampleTracesDir, 'nyc_taxi.csv'))
    .option('-c, --config <file>', 'controller configuration (JSON)', defaultConfigPath)
    .option('-t, --target <name>', 'target to replay (default: the first)')
    .option('--mean <connections>', 'scale the trace so its sample mean is this many connections', parseNumberOption('--mean', { min: 1, max: TRACE_LIMITS.mean }), BACKTEST_DEFAULTS.mean)
    .option('--per-unit <connections>', 'connections one unit serves, for the under-provisioning figure', parseNumberOption('--per-unit', { min: 1, max: TRACE_LIMITS.perUnit }), 1000)
    .option('--from-day <days>', 'start this many days into the trace', parseNumberOption('--from-day', { min: 0, max: TRACE_LIMITS.days }), 3)
    .option('--days <days>', 'how many days to replay', parseNumberOption('--days', { min: 0, max: TRACE_LIMITS.days, above: true }), 2)
    .option('--step <seconds>', 'seconds between decisions', parseNumberOption('--step', { min: 1, max: 3600, integer: true }), 60)
    .option('--initial <units>', 'capacity at the start (default: what the first sample needs)', parseNumberOption('--initial', { min: 0, max: UNITS_LIMIT, integer: true }))
    .option('--startup <seconds>', "seconds from launch until a unit serves (default: the target's warmupSeconds; 0 applies each decision at once)", parseNumberOption('--startup', { min: 0, max: 86_400, integer: true }))
    .option('--out <dir>', 'write replay.csv (a row a step: time,demand,desired,running,ready, as scaler backtest writes) and decisions.csv (every change, with its reason) here')
    .option('-q, --quiet', 'print only the summary')
    .addHelpText(
      'after',
      '\nEach decision sees the connections metric one step late; the units it launches serve after --startup.\n`scaler backtest` scores policies against the ideal and the baselines.',
    )
    .action((tracePath: string, options: ReplayCommandOptions) => {
      const out = options.out === undefined ? undefined : prepareOutDir(options.out);
      const config = parseKnownKinds(readJson(options.config, 'configuration'));
      const target = pickTarget(config, options.target);
      const trace = loadTrace(tracePath, options.mean);

      const start = trace.times[0]!;
      const end = trace.times[trace.times.length - 1]!;
      const from = start + options.fromDay * DAY;
      const to = Math.min(from + options.days * DAY, end);
      if (from >= end) throw new CliInputError(`--from-day ${options.fromDay} is at or past the end of the trace, which spans ${((end - start) / DAY).toFixed(2)} days`);
      if (options.initial !== undefined && (options.initial < target.minCapacity || options.initial > target.maxCapacity)) {
        throw new CliInputError(`--initial ${options.initial} is outside target ${target.name}'s limits, ${target.minCapacity} to ${target.maxCapacity} units`);
      }
      const perUnit = target.policies.find((p) => p.type === 'target-tracking')?.targetPerUnit;
      const startLoad = new TraceCursor(trace).valueAt(from);
      const initial = options.initial ?? clamp(perUnit === undefined ? target.minCapacity : Math.ceil(startLoad / perUnit), target.minCapacity, target.maxCapacity);
      const startup = options.startup ?? target.warmupSeconds;

      console.log(`${tracePath}: ${describeTrace(trace)}`);
      console.log(`Replaying it, scaled to a mean of ${options.mean} connections, through target ${target.name} (${target.kind}, ${target.minCapacity}..${target.maxCapacity} units)`);
      console.log(`from ${isoMinute(from)} to ${isoMinute(to)} UTC, a decision every ${options.step}s, starting at ${initial} units; a new unit serves ${startup === 0 ? 'at once' : `${startup}s after launch`}`);
      const predictive = target.policies.filter((p) => p.type === 'predictive').map((p) => p.name);
      if (predictive.length > 0) {
        const before = ((from - trace.times[0]!) / DAY).toFixed(1);
        console.log(`${predictive.join(', ')}: the forecast is refitted hourly on up to 14 days of the trace before each decision (${before} days precede the window), and abstains until a day of it is visible`);
      }
      console.log('');
      const reasons: Record<string, number> = {};
      const changes: Change[] = [];
      let decisions = 0;
      let peak = 0;
      const result = replayTarget(target, trace, { from, to, stepSeconds: options.step, initialCapacity: initial, perUnit: options.perUnit, startupSeconds: startup }, (decision, view) => {
        decisions++;
        peak = Math.max(peak, decision.desired);
        if (decision.desired === decision.current) return;
        reasons[decision.reason] = (reasons[decision.reason] ?? 0) + 1;
        changes.push({ at: view.now, observed: view.observed, decision });
        if (!options.quiet) printChange(view.now, view.observed, decision);
      });
      const m = result.metrics;
      console.log(`\n${decisions} decisions, ${changes.length} changes of capacity (${m.actionsPerDay.toFixed(1)}/day); peak ${peak} units; ${m.unitHours.toFixed(1)} unit-hours; under-provisioned ${m.underTimeShare.toFixed(2)}% of the time at ${options.perUnit} connections/unit`);
      const sorted = Object.entries(reasons).sort((a, b) => b[1] - a[1]);
      if (sorted.length > 0) console.log(`changes by reason: ${sorted.map(([r, n]) => `${r} ${n}`).join(', ')}`);
      if (out !== undefined) {
        writeRowsCsv(join(out, 'replay.csv'), result.rows);
        writeFileSync(join(out, 'decisions.csv'), decisionsCsv(changes));
        console.log(`wrote replay.csv and decisions.csv to ${options.out}`);
      }
    });
}

function printChange(time: number, observed: number, decision: Decision): void {
  const move = `${String(decision.current).padStart(3)} -> ${String(decision.desired).padEnd(3)}`;
  console.log(`${isoMinute(time)}  ${Math.round(observed).toLocaleString('en-US').padStart(7)} conn  ${move} ${decision.reason.padEnd(22)} ${decision.message}`);
}

/** Every change of capacity: when, the connections it saw, from and to, and why. */
export function decisionsCsv(changes: readonly Change[]): string {
  const lines = changes.map(({ at, observed, decision }) => [at, Math.round(observed), decision.current, decision.desired, decision.reason, decision.message].map(csvField).join(','));
  return ['time,connections,from,to,reason,message', ...lines].join('\n') + '\n';
}

const csvField = (v: string | number) => (typeof v === 'number' || !/[",\n]/.test(v) ? String(v) : `"${v.replaceAll('"', '""')}"`);

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));
