import { DEFAULT_FIT_OPTIONS, fitForecastModel, forecastFrom, parseOrThrow, policyInputs, type TargetConfig } from '../../core';
import type { DecisionLog } from '../evaluate';
import { scheduledEventSchema } from '../events/schemas';
import { lambdaHandler } from '../handler';
import { forEachTarget, type TargetFailure } from '../per-target';
import { runtime, type Runtime } from '../runtime';

const STEP = 60;
const HORIZON = 48 * 3600;

export interface RefreshReport {
  readonly refreshed: ReadonlyArray<{ target: string; method: string; history: number; published: number; nextMinute: number }>;
  readonly failed: readonly TargetFailure[];
}

/**
 * The hourly forecast refresh: for each target with a predictive policy, read up to 14 days of the
 * connection metric, fit the forecaster, store the model for the evaluations, and publish the forecast
 * beside the real metric so both can be graphed.
 */
export async function runForecastRefresh(event: unknown, rt: Runtime, log: DecisionLog): Promise<RefreshReport> {
  const now = Date.parse(parseOrThrow(scheduledEventSchema, event, 'scheduled event').time) / 1000;
  const forecastOf = (target: TargetConfig) => target.policies.map(policyInputs).find((inputs) => inputs.forecast !== undefined)?.forecast;
  const predictive = rt.config.targets.filter((t) => forecastOf(t) !== undefined);
  const { done, failed } = await forEachTarget(
    predictive,
    async (target) => {
      const history = await rt.deps.metrics.grid(target, now - DEFAULT_FIT_OPTIONS.maxHistorySeconds, now);
      // The target's forecast-reading policies agree on the band (the config checks it), so any one fits it.
      const model = fitForecastModel(history.times, history.values, forecastOf(target)!.fitOptions(STEP));
      await rt.deps.state.saveForecast(target.name, model, now);
      const forecast = forecastFrom(model, { ...history, visible: history.times.length }, HORIZON / STEP);
      const published = await rt.deps.metrics.putForecast(target, forecast, now);
      log.info('forecast refreshed', { target: target.name, method: model.method, sampleSteps: model.sampleSteps, smoothingSeconds: model.smoothingSeconds, tracking: model.tracking, scores: model.scores, history: history.times.length, published });
      return { target: target.name, method: model.method, history: history.times.length, published, nextMinute: forecast.point[0] ?? 0 };
    },
    log,
    'forecast refresh',
  );
  return { refreshed: done, failed };
}

export const handler = lambdaHandler(
  (event, log) => runForecastRefresh(event, runtime(), log),
  (report) => ({ forecasts: report.refreshed, failures: report.failed }),
);
