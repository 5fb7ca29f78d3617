import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Option, type Command } from 'commander';
import { BACKTEST_DEFAULTS, type BacktestOptions, checkDominance, curveChecks, defaultBacktestOptions, GAP_SHARE_BAR, formatTable, type FrontierPoint, frontierToCsv, POLICY_NAMES, type PolicyName, renderHtml, runBacktest, summaryJson, SWEEP_HEADROOMS, sweepHeadroom, verdictSentence, writeRowsCsv, yardstickBeside, describeYardstick, type Yardstick } from '../../backtest';
import { METRIC_BETWEEN_SAMPLES, type MetricBetweenSamples } from '../../sim';
import { describeObjective, UNITS_LIMIT } from '../../core';
import { CliInputError, configuredTarget, loadTrace, parseNumberOption, readJson, TRACE_ARGUMENT } from '../io';
import { prepareOutDir } from '../output';
import { progressBar } from '../progress';
import { describeTrace, scoredWindowNotes, TRACE_LIMITS } from '../trace-notes';

interface BacktestCommandOptions {
  mean: number;
  perUnit: number;
  startup: number;
  step: number;
  evalFromDays: number;
  min: number;
  max: number;
  utilization: number;
  policy: string;
  metric: MetricBetweenSamples;
  out?: string;
  sweep?: boolean;
  quiet?: boolean;
  config?: string;
  target?: string;
}

export function registerBacktest(program: Command): void {
  const d = defaultBacktestOptions();
  program
    .command('backtest')
    .description('Score scaling policies on a load trace against the ideal: under-provisioning, cost, actions')
    .argument('<trace>', TRACE_ARGUMENT)
    .option('--mean <connections>', 'scale the trace so its sample mean is this many connections', parseNumberOption('--mean', { min: 1, max: TRACE_LIMITS.mean }), BACKTEST_DEFAULTS.mean)
    .option('--per-unit <connections>', 'connections one unit serves', parseNumberOption('--per-unit', { min: 1, max: TRACE_LIMITS.perUnit }), d.perUnit)
    .option('--startup <seconds>', 'seconds from launch until a unit serves (Fargate ~60, EC2 180+)', parseNumberOption('--startup', { min: 0, max: 3600, integer: true }), d.startupSeconds)
    .option('--step <seconds>', 'simulation and metric step', parseNumberOption('--step', { min: 1, max: 3600, integer: true }), d.stepSeconds)
    .option('--eval-from-days <days>', 'score only after this many days; the earlier part is history', parseNumberOption('--eval-from-days', { min: 0, max: TRACE_LIMITS.days }), d.evalFromDays)
    .option('--min <units>', 'minimum capacity', parseNumberOption('--min', { min: 0, max: UNITS_LIMIT, integer: true }), d.minCapacity)
    .option('--max <units>', 'maximum capacity', parseNumberOption('--max', { min: 1, max: UNITS_LIMIT, integer: true }), d.maxCapacity)
    .option('--utilization <fraction>', "the baselines' target utilization of a unit", parseNumberOption('--utilization', { min: 0.01, max: 1 }), d.targetUtilization)
    .addOption(
      new Option('--metric <view>', "what the metric the policies see does between the trace's samples: follows demand, or holds the latest sample (a metric at the trace's own resolution)")
        .choices(METRIC_BETWEEN_SAMPLES)
        .default('interpolated'),
    )
    .option('--policy <name>', `one of ${POLICY_NAMES.join(', ')}, or all`, 'all')
    .option('-c, --config <file>', "run a configured target as ours, as deployed (re-tuned daily when it has an objective): a controller configuration, or the policy block `scaler tune --out` writes")
    .option('-t, --target <name>', 'the target of --config to run (default: the first)')
    .option('--out <dir>', 'write <policy>.csv, summary.json and report.html here')
    .option('--sweep', "also vary each policy's headroom and write the cost against τU frontier")
    .option('-q, --quiet', 'no progress on stderr')
    .addHelpText(
      'after',
      `
Metrics (over the evaluation window; demand and supply in units, demand = ceil(connections / per-unit)):
  τU  under-provisioning time share: % of time with fewer units ready than demanded
  θU  under-provisioning accuracy: mean missing units relative to demand, %
  τO  over-provisioning time share, θO over-provisioning accuracy: the same for surplus units
  unit-hours billed from launch; "vs oracle" divides by the oracle's
  unserved conn-min: connections above what ready units serve, in connection-minutes
  actions/day: changes of desired capacity per day`,
    )
    .action((tracePath: string, options: BacktestCommandOptions) => {
      const policies = selectPolicies(options.policy);
      if (options.min > options.max) throw new CliInputError(`--min (${options.min}) must not exceed --max (${options.max})`);
      // Where the reports go is checked before the work, not after minutes of it.
      const out = options.out === undefined ? undefined : prepareOutDir(options.out);
      if (options.target !== undefined && options.config === undefined) throw new CliInputError('--target names a target of --config; pass the configuration too');
      const target = options.config === undefined ? undefined : configuredTarget(readJson(options.config, 'configuration'), { ...options, config: options.config });
      const trace = loadTrace(tracePath, options.mean);
      const backtest: BacktestOptions = {
        perUnit: options.perUnit,
        startupSeconds: options.startup,
        stepSeconds: options.step,
        evalFromDays: options.evalFromDays,
        minCapacity: options.min,
        maxCapacity: options.max,
        targetUtilization: options.utilization,
        metric: options.metric,
        ...(target === undefined ? {} : { target }),
      };

      const bar = progressBar('backtest', { quiet: options.quiet });
      bar.start(policies.length);
      const results = runBacktest(trace, policies, backtest, (policy, done) => bar.update(policies.indexOf(policy) + done, policy));
      // Beside the oracle, what a clairvoyant level+spread policy pays for ours' τU (when ours ran with the oracle).
      const yardstick = policies.includes('oracle') ? yardstickBeside(trace, results, backtest) : undefined;
      let frontier: FrontierPoint[] = [];
      if (options.sweep) {
        bar.setTotal(policies.length * (1 + SWEEP_HEADROOMS.length));
        let done = 0;
        frontier = sweepHeadroom(trace, policies, backtest, (task, part) => {
          if (part === 1) done++;
          bar.update(policies.length + Math.min(done, policies.length * SWEEP_HEADROOMS.length), `sweep: ${task}`);
        });
      }
      bar.stop();

      console.log(`\n${basename(tracePath)}: ${describeTrace(trace)}`);
      console.log(`mean ${options.mean} connections, ${options.perUnit}/unit, start-up ${options.startup}s, step ${options.step}s, scored from day ${options.evalFromDays}${options.metric === 'held' ? ', metric held between samples' : ''}`);
      if (target !== undefined) console.log(`ours is target ${target.name} of ${options.config} (${target.minCapacity}-${target.maxCapacity} units)${target.objective === undefined ? '' : `, re-tuned daily to ${describeObjective(target.objective)}`}`);
      console.log('');
      console.log(formatTable(results, yardstick));
      if (yardstick !== undefined) console.log(describeYardstick(yardstick));
      for (const note of scoredWindowNotes(results[0]!.metrics, trace)) console.log(note);
      const dominance = checkDominance(results);
      if (dominance.length > 0) {
        console.log('');
        for (const check of dominance) console.log(`ours ${verdictSentence(check)}: ${check.detail}`);
      }
      if (frontier.length > 0) {
        console.log('\nheadroom sweep (cost against τU):');
        for (const p of frontier) console.log(`  ${p.policy.padEnd(20)} headroom ${String(p.headroom).padStart(5)}  τU ${p.underTimeShare.toFixed(2).padStart(6)}%  ${p.costRatio?.toFixed(3)}x oracle`);
        const curves = curveChecks(results, frontier);
        if (curves.length > 0) console.log(`\nours against each baseline's cost curve (ours must leave at most ${GAP_SHARE_BAR} of its gap to the oracle):`);
        for (const c of curves) console.log(`  ${c.passes ? 'below' : 'NOT below'} ${c.baseline}: ${c.detail}`);
      }
      if (out !== undefined) {
        writeReports(out, tracePath, results, backtest, frontier, yardstick);
        console.log(`\nwrote ${[...results.map((r) => r.policy), ...(yardstick === undefined ? [] : ['yardstick'])].map((name) => `${name}.csv`).join(', ')}, summary.json${frontier.length > 0 ? ', frontier.csv' : ''} and report.html to ${options.out}`);
      }
    });
}

function selectPolicies(name: string): PolicyName[] {
  if (name === 'all') return [...POLICY_NAMES];
  if ((POLICY_NAMES as readonly string[]).includes(name)) return [name as PolicyName];
  throw new CliInputError(`unknown policy ${JSON.stringify(name)}; expected one of ${POLICY_NAMES.join(', ')}, or all`);
}

function writeReports(dir: string, tracePath: string, results: ReturnType<typeof runBacktest>, options: BacktestOptions, frontier: FrontierPoint[], yardstick: Yardstick | undefined): void {
  const meta = { trace: basename(tracePath), perUnit: options.perUnit, options: { ...options } };
  for (const r of results) writeRowsCsv(join(dir, `${r.policy}.csv`), r.rows);
  if (yardstick !== undefined) writeRowsCsv(join(dir, 'yardstick.csv'), yardstick.rows);
  writeFileSync(join(dir, 'summary.json'), summaryJson(results, meta, frontier, yardstick));
  if (frontier.length > 0) writeFileSync(join(dir, 'frontier.csv'), frontierToCsv(frontier));
  writeFileSync(join(dir, 'report.html'), renderHtml(results, meta, frontier, yardstick));
}
