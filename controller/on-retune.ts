import { RETUNING } from '../core';
import type { DecisionLog } from './evaluate';
import { acceptEvent } from './events/guard';
import { scheduledEventSchema } from './events/schemas';
import { forEachTarget, type TargetFailure } from './per-target';
import { FORECAST_METRIC, readerOf } from './seams/metric-source';
import { retune, tunedTargets, type RetuneOutcome } from './retune';
import type { Runtime } from './runtime';

export interface RetuneReport {
  readonly retuned: ReadonlyArray<{ target: string; outcome: RetuneOutcome }>;
  readonly failed: readonly TargetFailure[];
}

/**
 * The daily re-tuning: for each target with an objective, read up to 14 days of its connection metric
 * and tune its settings to the objective on them (see retune). Its own function, apart from the hourly
 * forecast refresh: the search runs the simulator, which neither the refresh nor the evaluations need to
 * load, and it gets its own time budget.
 */
export async function runRetune(event: unknown, rt: Runtime, log: DecisionLog): Promise<RetuneReport> {
  const { now } = acceptEvent(scheduledEventSchema, event, 'scheduled event', rt);
  const { done, failed } = await forEachTarget(
    tunedTargets(rt.config.targets),
    async (target) => {
      const history = await readerOf(rt.deps.metrics, FORECAST_METRIC).grid(target, now - RETUNING.historySeconds, now);
      return { target: target.name, outcome: await retune(target, history, { state: rt.deps.state, log }, { now, dryRun: rt.config.dryRun }) };
    },
    log,
    're-tuning',
  );
  return { retuned: done, failed };
}
