import { DEFAULT_FIT_OPTIONS, fitForecastModel, forecastFrom } from '../core';
import type { DecisionLog } from './evaluate';
import { acceptEvent } from './events/guard';
import { scheduledEventSchema } from './events/schemas';
import { forEachTarget, type TargetFailure } from './per-target';
import { forecastReaders } from './predictive';
import { FORECAST_METRIC, readerOf } from './seams/metric-source';
import type { Runtime } from './runtime';

const STEP = 60;
const HORIZON = 48 * 3600;
/** How often the refresh runs (the stack's schedule): the forecast it publishes reaches the next one. */
export const REFRESH_SECONDS = 3600;

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
  const { now } = acceptEvent(scheduledEventSchema, event, 'scheduled event', rt);
  const predictive = rt.config.targets.filter((t) => forecastReaders(t).length > 0);
  const { done, failed } = await forEachTarget(
    predictive,
    async (target) => {
      const history = await readerOf(rt.deps.metrics, FORECAST_METRIC).grid(target, now - DEFAULT_FIT_OPTIONS.maxHistorySeconds, now);
      // The stored model's choice of method stands for a day (see fitForecastModel); the refit reuses it.
      const previous = await rt.deps.state.loadForecast(target.name);
      // The target's forecast-reading policies agree on the band (the config checks it), so any one fits it.
      const model = fitForecastModel(history.times, history.values, forecastReaders(target)[0]!.forecast.fitOptions(STEP), previous?.model);
      const forecast = forecastFrom(model, { ...history, visible: history.times.length }, HORIZON / STEP);
      const fitted = { target: target.name, method: model.method, sampleSteps: model.sampleSteps, smoothingSeconds: model.smoothingSeconds, tracking: model.tracking, scores: model.scores, selectedAt: model.selectedAt, history: history.times.length };
      const report = (published: number) => ({ target: target.name, method: model.method, history: history.times.length, published, nextMinute: forecast.point[0] ?? 0 });
      if (rt.config.dryRun) {
        log.info('forecast fitted (dry run: nothing stored or published)', fitted);
        return report(0);
      }
      // Each minute is published once: from where the last refresh stopped, until the next refresh is due.
      const from = Math.max(now, previous?.publishedUntil ?? -Infinity);
      const until = now + REFRESH_SECONDS;
      if (!(await rt.deps.state.saveForecast(target.name, { model, fittedAt: now, publishedUntil: Math.max(from, until) }))) {
        log.warn('a newer forecast is stored already; this refresh changes nothing', { target: target.name, fittedAt: now });
        return undefined;
      }
      const published = await rt.deps.forecastSink.putForecast(target, forecast, { from, until });
      log.info('forecast refreshed', { ...fitted, published });
      return report(published);
    },
    log,
    'forecast refresh',
  );
  return { refreshed: done, failed };
}
