import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { BACKTEST_DEFAULTS, defaultBacktestOptions, tunedPolicies, tuneOurs, type CandidateScore, type Objective, type TuneResult } from '../../backtest';
import { UNITS_LIMIT } from '../../core';
import { CommandFailedError, isoMinute, loadTrace, parseNumberOption, TRACE_ARGUMENT } from '../io';
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
  out?: string;
  quiet?: boolean;
}

export function registerTune(program: Command): void {
  const d = defaultBacktestOptions();
  program
    .command('tune')
    .description('Find the cheapest settings of the recommended policies that meet your objective on your own history, checked on held-out days')
    .argument('<trace>', `${TRACE_ARGUMENT}: your connection history (scaler history writes one)`)
    .option('--max-under <percent>', 'objective: the most time (%) with fewer units ready than demanded', parseNumberOption('--max-under', { min: 0, max: 100 }), 0.5)
    .option('--max-actions <n>', 'objective: the most changes of capacity a day (default: no limit)', parseNumberOption('--max-actions', { min: 1, max: 1440 }))
    .option('--validate-days <days>', 'hold out the last days: the choice is checked on them and never reads them', parseNumberOption('--validate-days', { min: 0, max: TRACE_LIMITS.days, above: true }), 2)
    .option('--mean <connections>', 'scale the trace so its sample mean is this many connections', parseNumberOption('--mean', { min: 1, max: TRACE_LIMITS.mean }), BACKTEST_DEFAULTS.mean)
    .option('--per-unit <connections>', 'connections one unit serves', parseNumberOption('--per-unit', { min: 1, max: TRACE_LIMITS.perUnit }), d.perUnit)
    .option('--startup <seconds>', 'seconds from launch until a unit serves (Fargate ~60, EC2 180+)', parseNumberOption('--startup', { min: 0, max: 3600, integer: true }), d.startupSeconds)
    .option('--min <units>', 'minimum capacity', parseNumberOption('--min', { min: 0, max: UNITS_LIMIT, integer: true }), d.minCapacity)
    .option('--max <units>', 'maximum capacity', parseNumberOption('--max', { min: 1, max: UNITS_LIMIT, integer: true }), d.maxCapacity)
    .option('--out <file>', 'write the chosen settings as a policy block (JSON) for a target')
    .option('-q, --quiet', 'no progress on stderr')
    .addHelpText(
      'after',
      `
The search tries headroom first (a coarse grid, then halving around the cheapest setting that meets the
objective), then how eagerly capacity comes back down (the scale-in threshold and window). Every run
shares one forecast per hour of the trace: none of these settings changes the fit. It exits 1 when no
setting meets the objective, after printing the closest.`,
    )
    .action((tracePath: string, options: TuneCommandOptions) => {
      const objective: Objective = { maxUnderProvisionedPercent: options.maxUnder, ...(options.maxActions === undefined ? {} : { maxActionsPerDay: options.maxActions }) };
      const out = options.out === undefined ? undefined : prepareOutFile(options.out);
      const trace = loadTrace(tracePath, options.mean);
      console.log(`${basename(tracePath)}: ${describeTrace(trace)}`);
      const bar = progressBar('tune', { quiet: options.quiet });
      bar.start(1);
      const result = tuneOurs(
        trace,
        { perUnit: options.perUnit, startupSeconds: options.startup, stepSeconds: d.stepSeconds, minCapacity: options.min, maxCapacity: options.max, objective, validationDays: options.validateDays },
        (done, total) => {
          bar.setTotal(total);
          bar.update(done);
        },
      );
      bar.stop();
      printResult(result, objective);
      const best = result.chosen ?? result.closest!;
      const block = { objective, policies: tunedPolicies(best.candidate, { perUnit: options.perUnit, startupSeconds: options.startup, minCapacity: options.min, maxCapacity: options.max }) };
      const json = `${JSON.stringify(block, null, 2)}\n`;
      if (out === undefined) console.log(`\npolicy block for the target:\n${json}`);
      else {
        writeFileSync(out, json);
        console.log(`\nwrote the policy block to ${options.out}`);
      }
      if (result.chosen === undefined) throw new CommandFailedError(`no setting met the objective on the tuning days; the closest is written above`);
    });
}

function printResult(result: TuneResult, objective: Objective): void {
  const budget = objective.maxActionsPerDay === undefined ? '' : `, at most ${objective.maxActionsPerDay} changes a day`;
  console.log(`\nobjective: under-provisioned at most ${objective.maxUnderProvisionedPercent}% of the time${budget}`);
  console.log(`tuned on ${isoMinute(result.tuningDays.from)} to ${isoMinute(result.tuningDays.to)} UTC; held out ${isoMinute(result.validationDays.from)} to ${isoMinute(result.validationDays.to)} UTC`);
  console.log('\nfrontier on the tuning days (cheapest first; * meets the objective):');
  console.log('  headroom  scale-in at  window    hold    τU %  × oracle  changes/day');
  for (const s of [...result.tried].sort((a, b) => a.metrics.unitHours - b.metrics.unitHours)) console.log(`${s.meets ? '*' : ' '} ${row(s)}`);
  const best = result.chosen ?? result.closest!;
  const v = result.validation;
  console.log(result.chosen !== undefined ? '\nchosen: the cheapest setting that meets the objective' : '\nNO setting meets the objective on the tuning days; the closest:');
  console.log(`  tuning days    ${row(best)}`);
  console.log(`  held-out days  ${row(v)}  ${v.meets ? 'holds on data it was not tuned on' : 'does NOT hold on the held-out days'}`);
}

function row(s: CandidateScore): string {
  const c = s.candidate;
  return `${String(c.headroom).padStart(8)}  ${`${c.scaleInThresholdPercent}%`.padStart(11)}  ${`${c.scaleInStabilizationSeconds} s`.padStart(6)}  ${`${c.holdSeconds} s`.padStart(6)}  ${s.metrics.underTimeShare.toFixed(2).padStart(6)}  ${s.costRatio.toFixed(3).padStart(8)}  ${s.metrics.actionsPerDay.toFixed(1).padStart(11)}`;
}
