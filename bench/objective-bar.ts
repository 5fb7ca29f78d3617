import { compareToCurves, defaultBacktestOptions, runBacktest, sweepHeadroom, yardstickAt, type BacktestOptions } from '../backtest';
import { recommendedPolicies, simulatedTarget, sliceTrace, type MetricBetweenSamples, type StepRows, type Trace, runOptions, simulate } from '../sim';
import { retunedController } from '../backtest/policies/retuned';
import type { BarCheck } from './backtest-bar';

const BASELINES = ['aws-target-tracking', 'aws-step', 'aws-predictive', 'hpa'] as const;
/**
 * Issue 27's objective for ours: under-provisioned at most 0.5% of the time, with the bar's own budget
 * of changes (AWS target tracking's at its default, on the same trace) as the user's maxActionsPerDay.
 */
export const OBJECTIVE = { maxUnderProvisionedPercent: 0.5 };
/** Issue 39: ours' excess over the oracle may be at most this multiple of the clairvoyant yardstick's. */
export const YARDSTICK_EXCESS_BAR = 1.5;

export interface ObjectiveBar {
  readonly line: string;
  /** Ours against the clairvoyant yardstick (see yardstick): how much a perfect forecast of level and spread would save. */
  readonly reference: string;
  readonly checks: BarCheck[];
  readonly retunings: number;
  readonly seconds: number;
}

/**
 * Issue 39's bar on one trace: ours with the objective, re-tuned daily as deployed (on the history before
 * each moment only), against every baseline's whole cost curve (its headroom sweep) and the clairvoyant
 * yardstick at ours' τU, scored from day 3; and the same run on the trace cut at 3/4, which must decide
 * alike before the cut.
 */
export function objectiveBar(trace: Trace, startupSeconds: number, metric: MetricBetweenSamples): ObjectiveBar {
  const started = performance.now();
  const o: BacktestOptions = { ...defaultBacktestOptions(), startupSeconds, metric };
  const target = simulatedTarget('ours', o, recommendedPolicies({ perUnit: o.perUnit, startupSeconds }));
  const defaults = runBacktest(trace, [...BASELINES, 'oracle'], o);
  const oracle = defaults.find((r) => r.policy === 'oracle')!.metrics.unitHours;
  const tracking = defaults.find((r) => r.policy === 'aws-target-tracking')!.metrics;
  const objective = { ...OBJECTIVE, maxActionsPerDay: tracking.actionsPerDay };
  let retunings = 0;
  const run = simulate(trace, retunedController(trace, target, objective, o, () => retunings++), runOptions(trace, o));
  const ours = run.metrics;
  const curves = compareToCurves(ours, oracle, sweepHeadroom(trace, BASELINES, o));
  const checks: BarCheck[] = [
    ...curves.map((c) => ({ check: `below ${c.baseline}'s curve: ${c.detail}`, met: c.passes })),
    { check: `τU <= 1% (τU ${ours.underTimeShare.toFixed(2)}%)`, met: ours.underTimeShare <= 1 },
    { check: `no more changes a day than AWS target tracking at its default (${ours.actionsPerDay.toFixed(1)} vs ${tracking.actionsPerDay.toFixed(1)})`, met: ours.actionsPerDay <= tracking.actionsPerDay },
  ];
  const cut = Math.round(trace.times[0]! + 0.75 * (trace.times.at(-1)! - trace.times[0]!));
  const changed = changedBeforeCut(run.rows, simulate(sliceTrace(trace, trace.times[0]!, cut), retunedController(sliceTrace(trace, trace.times[0]!, cut), target, objective, o), runOptions(trace, o)).rows, cut - 2 * o.stepSeconds);
  checks.push({ check: `no decision reads the future: cut the trace at 3/4, and ${changed === 0 ? 'no' : changed} desired capacity before the cut changes`, met: changed === 0 });
  const line = `ours re-tuned: τU ${ours.underTimeShare.toFixed(2)}%, ${Math.round(ours.unitHours).toLocaleString('en-US')} unit-hours (${(ours.unitHours / oracle).toFixed(3)}x oracle), ${ours.actionsPerDay.toFixed(1)} changes/day`;
  const y = yardstickAt(trace, o, ours.underTimeShare);
  const oursExcess = ours.unitHours / oracle - 1;
  const yardExcess = y === undefined ? undefined : y.metrics.unitHours / oracle - 1;
  const reference =
    y === undefined || yardExcess === undefined
      ? `no clairvoyant yardstick reaches ours' τU ${ours.underTimeShare.toFixed(2)}%`
      : `yardstick: a clairvoyant level+spread policy (the mean of the hour around each moment plus ${y.deviations} standard deviations) at τU ${y.metrics.underTimeShare.toFixed(2)}% bills ${Math.round(y.metrics.unitHours).toLocaleString('en-US')} unit-hours (${(y.metrics.unitHours / oracle).toFixed(3)}x oracle); ours' excess over the oracle is ${(oursExcess / yardExcess).toFixed(2)}x the yardstick's`;
  checks.push({
    check: `ours' excess over the oracle at most ${YARDSTICK_EXCESS_BAR}x the yardstick's at the same τU (${yardExcess === undefined ? 'no yardstick reaches it' : `${(oursExcess / yardExcess).toFixed(2)}x`})`,
    met: yardExcess !== undefined && oursExcess <= YARDSTICK_EXCESS_BAR * yardExcess,
  });
  return { line, reference, checks, retunings, seconds: (performance.now() - started) / 1000 };
}

/** How many steps before `until` the two runs' desired capacities differ at. */
function changedBeforeCut(full: StepRows, cut: StepRows, until: number): number {
  const [time, a, b] = [full.column('time'), full.column('desired'), cut.column('desired')];
  let changed = 0;
  for (let i = 0; i < Math.min(a.length, b.length) && time[i]! < until; i++) if (a[i] !== b[i]) changed++;
  return changed;
}
