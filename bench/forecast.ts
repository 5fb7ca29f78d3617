import { loadTrace } from '../cli/io';
import { BACKTEST_DEFAULTS } from '../backtest';
import { sampleTrace } from '../sim';
import { DEFAULT_FIT_OPTIONS, describeCandidate, fitForecastModel, forecastFrom } from '../core';
import { summarizeSamples } from '../chat/load/stats';

/**
 * Fit plus a 48-hour forecast over 14 days of 1-minute history (20,160 points), timed over repeated runs
 * on each trace (the history is the trace interpolated to one minute).
 */
export function benchForecast(tracePaths: readonly string[], runs = 20) {
  return tracePaths.map((path) => {
    const trace = loadTrace(path, BACKTEST_DEFAULTS.mean);
    const { times, values } = sampleTrace(trace, 60, 20_160);
    const samples = new Float64Array(runs);
    let method = '';
    for (let r = -2; r < runs; r++) {
      const start = performance.now();
      const model = fitForecastModel(times, values, { ...DEFAULT_FIT_OPTIONS, stepSeconds: 60 });
      const forecast = forecastFrom(model, { times, values, visible: times.length }, 48 * 60);
      if (r >= 0) samples[r] = performance.now() - start;
      method = `model ${describeCandidate(model)}, ${forecast.point.length}-step forecast`;
    }
    return { path, method, ...summarizeSamples(samples) };
  });
}

