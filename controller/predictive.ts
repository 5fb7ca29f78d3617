import { policyInputs, trackingSteps, type CapacitySchedule, type ForecastInput, type EpochSeconds, type ForecastModel, type TargetConfig } from '../core';
import { FORECAST_METRIC, readerOf, type MetricReaders } from './seams/metric-source';
import type { ForecastStore } from './seams/state-store';

const RECENT_SECONDS = 30 * 60;

/**
 * Enough of the metric for the forecast's correction: the last half hour, or its last two updates or the
 * datapoints its tracking reads if they reach further back.
 */
function recentSeconds(model: ForecastModel): number {
  return Math.max(RECENT_SECONDS, 2 * model.sampleSteps * model.stepSeconds, (trackingSteps(model.tracking) + 1) * model.stepSeconds);
}

/** A target's policies that read the stored forecast, with what each needs of it. */
export function forecastReaders(target: TargetConfig): Array<{ name: string; forecast: ForecastInput }> {
  return target.policies.flatMap((p) => {
    const forecast = policyInputs(p).forecast;
    return forecast === undefined ? [] : [{ name: p.name, forecast }];
  });
}

/**
 * The capacity schedules of a target's forecast-reading policies, from the stored model and the last
 * half hour of the metric. Empty before the first forecast refresh: the policies then abstain.
 */
export async function schedulesFor(target: TargetConfig, deps: { readonly metrics: MetricReaders; readonly state: ForecastStore }, now: EpochSeconds): Promise<Record<string, CapacitySchedule>> {
  const predictive = forecastReaders(target);
  if (predictive.length === 0) return {};
  const stored = await deps.state.loadForecast(target.name);
  if (stored === undefined) return {};
  const recent = await readerOf(deps.metrics, FORECAST_METRIC).grid(target, now - recentSeconds(stored.model), now);
  const observed = { times: recent.times, values: recent.values, visible: recent.times.length };
  return Object.fromEntries(predictive.map((p) => [p.name, p.forecast.schedule(stored.model, observed)]));
}
