import { basename } from 'node:path';
import { loadTrace } from '../cli/io';
import { BACKTEST_DEFAULTS } from '../core/backtest/defaults';
import { checkDominance } from '../core/backtest/dominance';
import { formatTable } from '../core/backtest/report';
import { defaultBacktestOptions, POLICY_NAMES, runBacktest } from '../core/backtest/run';

export interface BarCheck {
  readonly check: string;
  readonly met: boolean;
}

/** The bar, with the backtester's defaults, on one trace: every check with what was measured. */
export function benchBacktestBar(path: string, strictBar: boolean): { table: string; checks: BarCheck[]; seconds: number } {
  const trace = loadTrace(path, BACKTEST_DEFAULTS.mean);
  const start = performance.now();
  const results = runBacktest(trace, POLICY_NAMES, defaultBacktestOptions());
  const seconds = (performance.now() - start) / 1000;
  const ours = results.find((r) => r.policy === 'ours')!;
  const tracking = results.find((r) => r.policy === 'aws-target-tracking')!;
  const checks: BarCheck[] = checkDominance(results).map((d) => ({ check: `dominates ${d.baseline} (${d.detail})`, met: d.dominates }));
  if (strictBar) {
    const tau = ours.metrics.underTimeShare;
    const ratio = ours.costRatio ?? Infinity;
    checks.push({ check: `τU <= 1% at <= 1.5x the oracle's unit-hours (τU ${tau.toFixed(2)}%, ${ratio.toFixed(3)}x)`, met: tau <= 1 && ratio <= 1.5 });
  }
  checks.push({
    check: `no more actions/day than AWS target tracking (${ours.metrics.actionsPerDay.toFixed(1)} vs ${tracking.metrics.actionsPerDay.toFixed(1)})`,
    met: ours.metrics.actionsPerDay <= tracking.metrics.actionsPerDay,
  });
  return { table: `${basename(path)}\n${formatTable(results)}`, checks, seconds };
}
