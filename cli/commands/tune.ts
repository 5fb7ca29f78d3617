import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Option, type Command } from 'commander';
import { BACKTEST_DEFAULTS, defaultBacktestOptions } from '../../backtest';
import { recommendedTarget, tunedPolicies, tuneTarget, tuningUnits, type CandidateScore, type TuneResult } from '../../sim';
import { describeObjective, UNITS_LIMIT, type Objective, type TargetConfig } from '../../core';
import { parseKnownKinds } from '../../kinds';
import { CliInputError, CommandFailedError, isoMinute, loadTrace, parseNumberOption, pickTarget, readJson, TRACE_ARGUMENT } from '../io';
import { prepareOutFile } from '../output';
import { progressBar } from '../progress';
import { describeTrace, TRACE_LIMITS } from '../trace-notes';

interface TuneCommandOptions {
  maxUnder: number;
  maxActions?: number;
  validateDays: number;
  mean: number;
  perUnit: number;
  startup: number;
  min: number;
  max: number;
  config?: string;
  target?: string;
  out?: string;
  quiet?: boolean;
}

export function registerTune(program: Command): void {
  const d = defaultBacktestOptions();
  program
    .command('tune')
    .description("Find the cheapest settings of the recommended policies, or of a configured target's own, that meet your objective on your own history, checked on held-out days")
    .argument('<trace>', `${TRACE_ARGUMENT}: your connection history (scaler history writes one)`)
    .option('--max-under <percent>', 'objective: the most time (%) with fewer units ready than demanded', parseNumberOption('--max-under', { min: 0, max: 100 }), 0.5)
    .option('--max-actions <n>', 'objective: the most changes of capacity a day (default: no limit)', parseNumberOption('--max-actions', { min: 1, max: 1440 }))
    .option('--validate-days <days>', 'hold out the last days: the choice is checked on them and never reads them', parseNumberOption('--validate-days', { min: 0, max: TRACE_LIMITS.days, above: true }), 2)
    .option('--mean <connections>', 'scale the trace so its sample mean is this many connections', parseNumberOption('--mean', { min: 1, max: TRACE_LIMITS.mean }), BACKTEST_DEFAULTS.mean)
    .option('-c, --config <file>', "tune a configured target's own policies, limits and objective (default: the recommended policies)")
    .addOption(new Option('-t, --target <name>', 'with --config: the target to tune (default: the first)'))
    .addOption(targetOption('--per-unit <connections>', 'connections one unit serves', parseNumberOption('--per-unit', { min: 1, max: TRACE_LIMITS.perUnit }), d.perUnit))
    .addOption(targetOption('--startup <seconds>', 'seconds from launch until a unit serves (Fargate ~60, EC2 180+)', parseNumberOption('--startup', { min: 0, max: 3600, integer: true }), d.startupSeconds))
    .addOption(targetOption('--min <units>', 'minimum capacity', parseNumberOption('--min', { min: 0, max: UNITS_LIMIT, integer: true }), d.minCapacity))
    .addOption(targetOption('--max <units>', 'maximum capacity', parseNumberOption('--max', { min: 1, max: UNITS_LIMIT, integer: true }), d.maxCapacity))
    .option('--out <file>', 'write the chosen settings as a policy block (JSON) for a target')
    .option('-q, --quiet', 'no progress on stderr')
    .addHelpText(
      'after',
      `
The search tries headroom first (or, for a predictive policy with spreadDeviations, how many predicted
spreads; a coarse grid, then halving around the cheapest setting that meets the objective), then how eagerly capacity comes back down (the scale-in threshold, the window and the hold),
then headroom once more if those moved. Every run shares one forecast per hour of the trace: none of
these settings changes the fit. With --config, the target's objective applies unless --max-under or
--max-actions is given. It exits 1 when no setting meets the objective, after printing the closest.`,
    )
    .action((tracePath: string, options: TuneCommandOptions, command: Command) => {
      if (options.target !== undefined && options.config === undefined) throw new CliInputError('--target names a target of --config; pass the configuration too');
      const out = options.out === undefined ? undefined : prepareOutFile(options.out);
      const target = options.config === undefined ? undefined : pickTarget(parseKnownKinds(readJson(options.config, 'configuration')), options.target);
      const given = (name: string) => command.getOptionValueSource(name) === 'cli';
      const objective: Objective =
        target?.objective !== undefined && !given('maxUnder') && !given('maxActions')
          ? target.objective
          : { maxUnderProvisionedPercent: options.maxUnder, ...(options.maxActions === undefined ? {} : { maxActionsPerDay: options.maxActions }) };
      const tuned = target ?? recommendedTarget({ perUnit: options.perUnit, startupSeconds: options.startup, minCapacity: options.min, maxCapacity: options.max });
      const units = tuningUnits(tuned);
      const trace = loadTrace(tracePath, options.mean);
      console.log(`${basename(tracePath)}: ${describeTrace(trace)}`);
      console.log(describeTarget(tuned, target !== undefined, units));
      const bar = progressBar('tune', { quiet: options.quiet });
      bar.start(1);
      const result = tuneTarget(trace, tuned, { ...units, stepSeconds: d.stepSeconds, objective, validationDays: options.validateDays }, (done, total) => {
        bar.setTotal(total);
        bar.update(done);
      });
      bar.stop();
      printResult(result, objective);
      const best = result.chosen ?? result.closest!;
      const block = { objective, policies: tunedPolicies(tuned, best.candidate) };
      const json = `${JSON.stringify(block, null, 2)}\n`;
      if (out === undefined) console.log(`\npolicy block for the target:\n${json}`);
      else {
        writeFileSync(out, json);
        console.log(`\nwrote the policy block to ${options.out}`);
      }
      if (result.chosen === undefined) throw new CommandFailedError(`no setting met the objective on the tuning days; the closest is written above`);
    });
}

/** Options a configured target sets itself: refused alongside --config rather than silently ignored. */
function targetOption(flags: string, description: string, parse: (value: string) => number, fallback: number): Option {
  return new Option(flags, `${description} (the target's own with --config)`).argParser(parse).default(fallback).conflicts('config');
}

function describeTarget(target: TargetConfig, configured: boolean, units: { readonly perUnit: number; readonly startupSeconds: number }): string {
  const what = configured ? `target ${target.name}'s own policies (${target.policies.map((p) => p.name).join(', ')})` : 'the recommended policies';
  return `tuning ${what}: ${units.perUnit.toLocaleString('en-US')} connections a unit, ${units.startupSeconds} s start-up, ${target.minCapacity} to ${target.maxCapacity} units`;
}

function printResult(result: TuneResult, objective: Objective): void {
  console.log(`\nobjective: ${describeObjective(objective)}`);
  console.log(`tuned on ${isoMinute(result.tuningDays.from)} to ${isoMinute(result.tuningDays.to)} UTC; held out ${isoMinute(result.validationDays.from)} to ${isoMinute(result.validationDays.to)} UTC`);
  console.log('\nfrontier on the tuning days (cheapest first; * meets the objective):');
  // A target that provisions to predicted spreads is tuned on how many, its headroom left at 0.
  console.log(`  ${result.untuned.candidate.spreadDeviations === undefined ? 'headroom' : ' spreads'}  scale-in at  window    hold    τU %  × oracle  changes/day`);
  for (const s of [...result.tried].sort((a, b) => a.metrics.unitHours - b.metrics.unitHours)) console.log(`${s.meets ? '*' : ' '} ${row(s)}`);
  const best = result.chosen ?? result.closest!;
  const v = result.validation;
  const kept = result.chosen === undefined && best === result.untuned;
  if (result.chosen !== undefined) console.log('\nchosen: the cheapest setting that meets the objective');
  else {
    console.log('');
    for (const line of missedBy(result.tried, objective)) console.log(line);
    console.log(kept ? 'NO setting meets the objective on the tuning days; the untuned settings keep within the budget of changes, so they stay:' : 'NO setting meets the objective on the tuning days; the closest:');
  }
  console.log(`  untuned        ${row(result.untuned)}  the target's own settings, on the tuning days`);
  console.log(`  tuning days    ${row(best)}`);
  console.log(`  held-out days  ${row(v)}  ${v.meets ? 'holds on data it was not tuned on' : 'does NOT hold on the held-out days'}`);
}

/** By how much the objective is out of reach: τU's lowest, or the fewest changes a day at the τU asked for. */
export function missedBy(tried: readonly CandidateScore[], objective: Objective): string[] {
  const limit = objective.maxUnderProvisionedPercent;
  const reaching = tried.filter((t) => t.metrics.underTimeShare <= limit);
  if (reaching.length === 0) {
    const lowest = Math.min(...tried.map((t) => t.metrics.underTimeShare));
    return [`no setting tried reaches τU <= ${limit}%: the lowest is ${lowest.toFixed(2)}%`];
  }
  if (objective.maxActionsPerDay === undefined) return [];
  const fewest = Math.min(...reaching.map((t) => t.metrics.actionsPerDay));
  const over = (100 * (fewest - objective.maxActionsPerDay)) / objective.maxActionsPerDay;
  return [`the budget of ${objective.maxActionsPerDay} changes a day is missed by ${over.toFixed(0)}%: at τU <= ${limit}% the fewest is ${fewest.toFixed(1)} a day`];
}

function row(s: CandidateScore): string {
  const c = s.candidate;
  return `${String(c.spreadDeviations ?? c.headroom).padStart(8)}  ${`${c.scaleInThresholdPercent}%`.padStart(11)}  ${`${c.scaleInStabilizationSeconds} s`.padStart(6)}  ${`${c.holdSeconds} s`.padStart(6)}  ${s.metrics.underTimeShare.toFixed(2).padStart(6)}  ${s.costRatio.toFixed(3).padStart(8)}  ${s.metrics.actionsPerDay.toFixed(1).padStart(11)}`;
}
