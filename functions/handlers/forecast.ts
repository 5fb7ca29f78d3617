import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { DEFAULT_FIT_OPTIONS, fitForecastModel, forecastFitOptions, forecastFrom, parseOrThrow, type PredictivePolicy } from '../../core';
import type { DecisionLog } from '../evaluate';
import { scheduledEventSchema } from '../events/schemas';
import { createLogger, createMetrics, recordFailure, recordForecast } from '../observability';
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
  const predictive = rt.config.targets.filter((t) => t.policies.some((p) => p.type === 'predictive'));
  const { done, failed } = await forEachTarget(
    predictive,
    async (target) => {
      const policy = target.policies.find((p): p is PredictivePolicy => p.type === 'predictive')!;
      const history = await rt.deps.metrics.grid(target, now - DEFAULT_FIT_OPTIONS.maxHistorySeconds, now);
      const model = fitForecastModel(history.times, history.values, forecastFitOptions(policy, STEP));
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

const logger = createLogger();
const metrics = createMetrics();
export const handler = middy(async (event: unknown) => {
  const report = await runForecastRefresh(event, runtime(), logger);
  report.refreshed.forEach((r) => recordForecast(metrics, r.target, r.nextMinute));
  report.failed.forEach((f) => recordFailure(metrics, f.target));
  return report;
}).use(injectLambdaContext(logger));
