import type { EpochSeconds } from '../time';
import type { Forecast, ForecastModel, SeasonalMethod } from './model';

/** Observed values at a fixed step, oldest first; only the first `visible` count. */
export interface Observed {
  readonly times: readonly EpochSeconds[];
  readonly values: readonly number[];
  readonly visible: number;
}

/** The seasonal part of a model, enough to predict from. */
export interface Seasonal {
  readonly method: SeasonalMethod;
  readonly stepSeconds: number;
  readonly epoch: EpochSeconds;
  readonly profile: ArrayLike<number>;
  readonly period: number;
}

/** The recent trend is damped so it never extrapolates far (sum of φ^k). */
const TREND_DAMPING = 0.8;
/** A seasonal model's correction (level and trend) fades toward the profile with this half-life. */
const LEVEL_HALF_LIFE_SECONDS = 6 * 3600;

export function seasonalAt(model: Seasonal, time: EpochSeconds): number {
  if (model.method === 'none') return 0;
  const index = Math.round((time - model.epoch) / model.stepSeconds);
  const slot = ((index % model.period) + model.period) % model.period;
  const v = model.profile[slot]!;
  return Number.isFinite(v) ? v : 0;
}

/**
 * Point forecasts for `steps` steps after the last visible observation: the seasonal profile, corrected
 * by the latest error (level) and its change (damped trend), a correction that fades back to the profile
 * with a 6-hour half-life. With method `none` it follows level and damped trend.
 */
export function predictPoints(model: Seasonal, observed: Observed, steps: number, out = new Float64Array(steps)): Float64Array {
  let last = observed.visible - 1;
  while (last >= 0 && !Number.isFinite(observed.values[last]!)) last--;
  if (last < 0) {
    for (let h = 1; h <= steps; h++) out[h - 1] = Math.max(0, seasonalAt(model, (observed.times[observed.visible - 1] ?? model.epoch) + h * model.stepSeconds));
    return out;
  }
  const t = observed.times[last]!;
  const level = observed.values[last]! - seasonalAt(model, t);
  let prev = last - 1;
  while (prev >= 0 && last - prev <= 5 && !Number.isFinite(observed.values[prev]!)) prev--;
  const trend =
    prev >= 0 && last - prev <= 5 ? (level - (observed.values[prev]! - seasonalAt(model, observed.times[prev]!))) / (last - prev) : 0;
  const fade = model.method === 'none' ? 1 : Math.pow(0.5, model.stepSeconds / LEVEL_HALF_LIFE_SECONDS);
  // The forecast starts at the step after the last visible one, even when the newest values are missing.
  const offset = observed.visible - 1 - last;
  let damped = 0;
  let phi = 1;
  let levelWeight = 1;
  for (let h = 1; h <= steps + offset; h++) {
    phi *= TREND_DAMPING;
    damped += phi;
    levelWeight *= fade;
    if (h > offset) out[h - offset - 1] = Math.max(0, seasonalAt(model, t + h * model.stepSeconds) + (level + trend * damped) * levelWeight);
  }
  return out;
}

/** A full forecast (point and upper band) for `steps` steps after the last visible observation. */
export function forecastFrom(model: ForecastModel, observed: Observed, steps: number): Forecast {
  const point = Array.from(predictPoints(model, observed, steps));
  const upper = point.map((p, i) => p + bandAt(model, i + 1, p));
  return { start: observed.times[observed.visible - 1]! + model.stepSeconds, stepSeconds: model.stepSeconds, point, upper };
}

/** The band `horizon` steps ahead for a point forecast of `point` connections. */
export function bandAt(model: ForecastModel, horizon: number, point: number): number {
  const row = model.bands[Math.min(horizon, model.bands.length) - 1];
  if (row === undefined) return 0;
  return row[levelBucket(model.levels, point)] ?? 0;
}

export function levelBucket(levels: readonly number[], point: number): number {
  let bucket = 0;
  while (bucket < levels.length && point > levels[bucket]!) bucket++;
  return bucket;
}
