import { DEFAULT_FIT_OPTIONS, type EpochSeconds, fitForecastModel, forecastFitOptions, forecastFrom, type ForecastModel, InvalidInputError, type PredictivePolicy, scheduledUnits } from '../core';
import { gapSeconds, sampleTraceUntil, type Trace, TraceCursor } from '../sim';

export interface ForecastPreviewOptions {
  /** The resolution the forecaster fits and forecasts at. */
  readonly stepSeconds: number;
  /** Forecast from here: the trace up to it is the history (at most the fitter's maximum), what follows is the actual. */
  readonly at: EpochSeconds;
  readonly horizonSeconds: number;
}

export interface ForecastRow {
  readonly time: EpochSeconds;
  readonly point: number;
  /** The upper band at this step's own horizon. */
  readonly upper: number;
  /** What a scale-out for this step provides if this forecast still holds one lead time before it: the point plus the lead horizon's band, in units. */
  readonly units: number;
  /** The trace's value, where it goes on past `at`. */
  readonly actual?: number;
}

/** The forecast against what followed, over the steps the trace covers. */
export interface ForecastCheck {
  readonly steps: number;
  /** Mean absolute error of the point forecast relative to the history's mean. */
  readonly meanAbsoluteError: number;
  /** Share of steps whose actual value was at or below the upper band (the band's quantile, if calibrated). */
  readonly bandCoverage: number;
}

export interface ForecastPreview {
  readonly model: ForecastModel;
  readonly history: { readonly from: EpochSeconds; readonly to: EpochSeconds; readonly points: number };
  readonly rows: readonly ForecastRow[];
  readonly check?: ForecastCheck;
}

/**
 * What a predictive policy's forecast refresh would fit and forecast on a trace at time `at`, the way
 * it does in production (the policy's band quantile, models scored at its lead horizon), and, where
 * the trace goes on, how that forecast fared against what followed.
 */
export function previewForecast(trace: Trace, policy: PredictivePolicy, options: ForecastPreviewOptions): ForecastPreview {
  const { stepSeconds: step, at, horizonSeconds } = options;
  const start = trace.times[0]!;
  const end = trace.times[trace.times.length - 1]!;
  if (!(at >= start && at <= end)) throw new InvalidInputError(`the forecast must start within the trace (${start} to ${end}), got ${at}`);
  if (!(step > 0 && horizonSeconds >= step)) throw new InvalidInputError(`the horizon (${horizonSeconds}s) must cover at least one step (${step}s)`);

  const { times, values } = sampleTraceUntil(trace, at, step, DEFAULT_FIT_OPTIONS.maxHistorySeconds);
  const count = times.length;
  const model = fitForecastModel(times, values, { ...forecastFitOptions(policy, step), horizonSeconds });

  const observed = { times, values, visible: count };
  const forecast = forecastFrom(model, observed, Math.floor(horizonSeconds / step));
  const units = scheduledUnits(model, observed, forecast.point, policy);
  const cursor = new TraceCursor(trace, gapSeconds(trace));
  const rows = forecast.point.map((point, i): ForecastRow => {
    const time = forecast.start + i * step;
    const row = { time, point, upper: forecast.upper[i]!, units: units[i]! };
    const actual = time <= end ? cursor.valueAt(time) : NaN;
    return Number.isNaN(actual) ? row : { ...row, actual };
  });
  const known = values.filter(Number.isFinite);
  const mean = known.reduce((sum, v) => sum + v, 0) / known.length;
  return { model, history: { from: times[0]!, to: at, points: count }, rows, ...checkAgainstActual(rows, mean) };
}

function checkAgainstActual(rows: readonly ForecastRow[], mean: number): { check?: ForecastCheck } {
  const known = rows.filter((r): r is ForecastRow & { actual: number } => r.actual !== undefined);
  if (known.length === 0) return {};
  return {
    check: {
      steps: known.length,
      meanAbsoluteError: known.reduce((sum, r) => sum + Math.abs(r.actual - r.point), 0) / known.length / Math.max(mean, 1e-9),
      bandCoverage: known.filter((r) => r.actual <= r.upper).length / known.length,
    },
  };
}
