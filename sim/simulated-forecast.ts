import { type CapacitySchedule, DEFAULT_FIT_OPTIONS, type EpochSeconds, fitForecastModel, forecastFitOptions, type ForecastModel, type Observed, type PolicyConfig, type PredictivePolicy, scheduleBandSteps, scheduleFromModel, typedRange } from '../core';

/** How often the forecast refresh refits a target's model: its schedule's default. */
export const FORECAST_REFRESH_SECONDS = 3600;
const DAY = 86_400;

/**
 * Models already fitted on a trace, by the history they saw and the options they were fitted with: runs
 * over the same trace that differ only in what does not change the fit (a headroom, scale-in settings)
 * share them, as a tuning search does. A model depends on the history before its refit alone.
 */
export type ForecastCache = Map<string, ForecastModel>;

/** Builds each predictive policy's schedule at a decision from the history visible then. */
/**
 * Builds each predictive policy's schedule at a decision from the history visible then; `policies` are
 * the ones to schedule for now (tuned settings change their per-unit targets, never the fit).
 */
export type ScheduleSource = (history: Observed, now: EpochSeconds, policies?: readonly PolicyConfig[]) => Record<string, CapacitySchedule> | undefined;

/**
 * A target's forecast as deployed, for a simulation: one model per target, refitted every
 * FORECAST_REFRESH_SECONDS on up to the fitter's maximum history once a day of it is visible, and at each
 * decision every predictive policy's schedule from that model and the latest datapoints. Undefined when
 * the target has no predictive policy. The model lives in the closure, as it lives in the store.
 */
export function simulatedForecast(policies: readonly PolicyConfig[], stepSeconds: number, cache?: ForecastCache): ScheduleSource | undefined {
  const predictive = policies.filter((p): p is PredictivePolicy => p.type === 'predictive');
  if (predictive.length === 0) return undefined;
  // Decisions only ever read the bands up to the widest scale-in band horizon: measure that far, no further.
  const bandSteps = Math.max(...predictive.map((p) => scheduleBandSteps(p, stepSeconds)));
  const fitOptions = { ...forecastFitOptions(predictive[0]!, stepSeconds), horizonSeconds: (bandSteps + 1) * stepSeconds };
  const maxPoints = Math.floor(DEFAULT_FIT_OPTIONS.maxHistorySeconds / stepSeconds);
  let model: ForecastModel | undefined;
  let fittedAt = -Infinity;
  const options = JSON.stringify(fitOptions);

  return (history, now, current) => {
    const { visible } = history;
    if (now - fittedAt >= FORECAST_REFRESH_SECONDS && (visible - 1) * stepSeconds >= DAY) {
      const from = Math.max(0, visible - maxPoints);
      const key = `${history.times[from]}/${visible - from}/${options}`;
      model = cache?.get(key) ?? fitForecastModel(typedRange(history.times, from, visible), typedRange(history.values, from, visible), fitOptions, model);
      cache?.set(key, model);
      fittedAt = now;
    }
    if (model === undefined) return undefined;
    const fitted = model;
    const scheduled = current === undefined ? predictive : current.filter((p): p is PredictivePolicy => p.type === 'predictive');
    return Object.fromEntries(scheduled.map((p) => [p.name, scheduleFromModel(fitted, history, p)]));
  };
}


