import { scheduleFromModel, type CapacitySchedule, type EpochSeconds, type TargetConfig } from '../core';
import type { EvaluationDeps } from './evaluate';

const RECENT_SECONDS = 30 * 60;

/**
 * The capacity schedules of a target's predictive policies, from the stored model and the last
 * half hour of the metric. Empty before the first forecast refresh: the policies then abstain.
 */
export async function schedulesFor(target: TargetConfig, deps: Pick<EvaluationDeps, 'metrics' | 'state'>, now: EpochSeconds): Promise<Record<string, CapacitySchedule>> {
  const predictive = target.policies.flatMap((p) => (p.type === 'predictive' ? [p] : []));
  if (predictive.length === 0) return {};
  const stored = await deps.state.loadForecast(target.name);
  if (stored === undefined) return {};
  const recent = await deps.metrics.grid(target, now - RECENT_SECONDS, now);
  const observed = { times: recent.times, values: recent.values, visible: recent.times.length };
  return Object.fromEntries(predictive.map((p) => [p.name, scheduleFromModel(stored.model, observed, p)]));
}
