import { compareToCurves, defaultBacktestOptions, runBacktest, sweepHeadroom, type BacktestOptions } from '../backtest';
import { recommendedPolicies, simulatedTarget, type MetricBetweenSamples, type Trace, runOptions, simulate } from '../sim';
import { retunedController } from '../backtest/policies/retuned';
import type { BarCheck } from './backtest-bar';
import { envelopeAt } from './envelope';

const BASELINES = ['aws-target-tracking', 'aws-step', 'aws-predictive', 'hpa'] as const;
/**
 * Issue 27's objective for ours: under-provisioned at most 0.5% of the time, with the bar's own budget
 * of changes (AWS target tracking's at its default, on the same trace) as the user's maxActionsPerDay.
 */
export const OBJECTIVE = { maxUnderProvisionedPercent: 0.5 };

export interface ObjectiveBar {
  readonly line: string;
  /** Ours against a clairvoyant yardstick (see envelope): how much a perfect forecast of the level would save. */
  readonly reference: string;
  readonly checks: BarCheck[];
  readonly retunings: number;
  readonly seconds: number;
}

/**
 * Issue 27's bar on one trace: ours with the objective, re-tuned daily as deployed (on the history before
 * each moment only), against every baseline's whole cost curve (its headroom sweep), scored from day 3.
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
  const ours = simulate(trace, retunedController(trace, target, objective, o, () => retunings++), runOptions(trace, o)).metrics;
  const curves = compareToCurves(ours, oracle, sweepHeadroom(trace, BASELINES, o));
  const checks: BarCheck[] = [
    ...curves.map((c) => ({ check: `below ${c.baseline}'s curve: ${c.detail}`, met: c.passes })),
    { check: `τU <= 1% (τU ${ours.underTimeShare.toFixed(2)}%)`, met: ours.underTimeShare <= 1 },
    { check: `no more changes a day than AWS target tracking at its default (${ours.actionsPerDay.toFixed(1)} vs ${tracking.actionsPerDay.toFixed(1)})`, met: ours.actionsPerDay <= tracking.actionsPerDay },
  ];
  const line = `ours re-tuned: τU ${ours.underTimeShare.toFixed(2)}%, ${Math.round(ours.unitHours).toLocaleString('en-US')} unit-hours (${(ours.unitHours / oracle).toFixed(3)}x oracle), ${ours.actionsPerDay.toFixed(1)} changes/day`;
  const e = envelopeAt(trace, o, ours.underTimeShare);
  const reference =
    e === undefined
      ? `no clairvoyant envelope reaches ours' τU ${ours.underTimeShare.toFixed(2)}%`
      : `yardstick: a clairvoyant envelope (the mean of the hour around each moment plus ${e.deviations} standard deviations) at τU ${e.underTimeShare.toFixed(2)}% bills ${Math.round(e.unitHours).toLocaleString('en-US')} unit-hours (${(e.unitHours / oracle).toFixed(3)}x oracle); ours is ${(ours.unitHours / e.unitHours).toFixed(3)}x it`;
  return { line, reference, checks, retunings, seconds: (performance.now() - started) / 1000 };
}
