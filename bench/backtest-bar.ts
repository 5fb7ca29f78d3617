import { basename } from 'node:path';
import { loadTrace } from '../cli/io';
import { BACKTEST_DEFAULTS, checkDominance, verdictSentence, defaultBacktestOptions, formatTable, POLICY_NAMES, type PolicyResult, runBacktest } from '../backtest';
import type { Trace } from '../sim';
import { actionBudgetCost } from './action-budget';
import { unitsFor } from '../core';

export interface BarCheck {
  readonly check: string;
  readonly met: boolean;
}

/** The bar, with the backtester's defaults, on one trace: every check with what was measured. */
export function benchBacktestBar(path: string, strictBar: boolean): { table: string; checks: BarCheck[]; seconds: number; budgetNote: string } {
  return backtestBar(basename(path), loadTrace(path, BACKTEST_DEFAULTS.mean), strictBar);
}

/** The same checks on a trace given as data (already scaled to the backtest's mean). */
export function backtestBar(name: string, trace: Trace, strictBar: boolean): { table: string; checks: BarCheck[]; seconds: number; budgetNote: string } {
  const start = performance.now();
  const results = runBacktest(trace, POLICY_NAMES, defaultBacktestOptions());
  const seconds = (performance.now() - start) / 1000;
  const tracking = results.find((r) => r.policy === 'aws-target-tracking')!;
  const checks = barChecks(results, strictBar);
  return { table: `${name}\n${formatTable(results)}`, checks, seconds, budgetNote: actionBudgetNote(results, tracking.metrics.actionsPerDay) };
}

/** Every check of the bar on one trace's results (ours, the four baselines and the oracle). */
export function barChecks(results: readonly PolicyResult[], strictBar: boolean): BarCheck[] {
  const ours = results.find((r) => r.policy === 'ours')!;
  const tracking = results.find((r) => r.policy === 'aws-target-tracking')!;
  // The bar is no worse than a baseline on either figure and better on one; the check names which.
  const checks: BarCheck[] = checkDominance(results).map((d) => ({ check: `${verdictSentence(d)} (${d.detail})`, met: d.noWorse }));
  if (strictBar) {
    const tau = ours.metrics.underTimeShare;
    const ratio = ours.costRatio ?? Infinity;
    checks.push({ check: `τU <= 1% at <= 1.5x the oracle's unit-hours (τU ${tau.toFixed(2)}%, ${ratio.toFixed(3)}x)`, met: tau <= 1 && ratio <= 1.5 });
  }
  checks.push({
    check: `no more actions/day than AWS target tracking (${ours.metrics.actionsPerDay.toFixed(1)} vs ${tracking.metrics.actionsPerDay.toFixed(1)})`,
    met: ours.metrics.actionsPerDay <= tracking.metrics.actionsPerDay,
  });
  return checks;
}

/**
 * How much of the cost is the action budget's and how much the uncertainty's: with perfect foresight,
 * covering demand at every step with no more changes a day than AWS target tracking makes.
 */
function actionBudgetNote(results: readonly PolicyResult[], actionsPerDay: number): string {
  const o = defaultBacktestOptions();
  const rows = [...results.find((r) => r.policy === 'oracle')!.rows].filter((r) => !Number.isNaN(r.demand));
  const evalFrom = rows[0]!.time + o.evalFromDays * 86_400;
  const demand = rows.filter((r) => r.time >= evalFrom).map((r) => unitsFor(r.demand, o.perUnit));
  const days = (demand.length * o.stepSeconds) / 86_400;
  const exact = demand.reduce((sum, d) => sum + d, 0);
  const plan = actionBudgetCost(demand, Math.floor(actionsPerDay * days));
  return `with perfect foresight and at most ${actionsPerDay.toFixed(1)} changes/day, covering demand at every step takes ${(plan.unitSteps / exact).toFixed(3)}x the demanded unit-steps (${(plan.changes / days).toFixed(1)} changes/day): the action budget alone costs that much`;
}
