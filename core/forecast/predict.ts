import type { EpochSeconds } from '../time';
import { FOLLOW_LATEST, type Forecast, type ForecastModel, type SeasonalMethod, type Tracking } from './model';

/** Observed values at a fixed step, oldest first; only the first `visible` count. */
export interface Observed {
  readonly times: ArrayLike<EpochSeconds>;
  readonly values: ArrayLike<number>;
  readonly visible: number;
}

/** The seasonal part of a model, enough to predict from. */
export interface Seasonal {
  readonly method: SeasonalMethod;
  readonly stepSeconds: number;
  readonly epoch: EpochSeconds;
  readonly profile: ArrayLike<number>;
  readonly period: number;
  /** How many steps apart the metric's updates are (see sampleStepsOf); 1 when it updates every step. */
  readonly sampleSteps?: number;
  /** How the correction tracks the recent datapoints; it follows the latest one when absent. */
  readonly tracking?: Tracking;
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
 * with a 6-hour half-life. With method `none` it follows level and damped trend. A model whose tracking
 * weights are below 1 takes the level and trend smoothed over the recent datapoints instead, and follows
 * a surge as it comes.
 */
export function predictPoints(model: Seasonal, observed: Observed, steps: number, out = new Float64Array(steps)): Float64Array {
  let last = observed.visible - 1;
  while (last >= 0 && !Number.isFinite(observed.values[last]!)) last--;
  if (last < 0) {
    for (let h = 1; h <= steps; h++) out[h - 1] = Math.max(0, seasonalAt(model, (observed.times[observed.visible - 1] ?? model.epoch) + h * model.stepSeconds));
    return out;
  }
  // A metric that updates every k steps last updated where its latest run of repeats began (or at its
  // latest datapoint, if the reads between updates find none): the forecast counts from that update,
  // and its trend is the change between the last two updates, k steps apart.
  const k = model.sampleSteps ?? 1;
  const update = firstShown(observed.values, last, k);
  const t = observed.times[update]!;
  const { level, trend } = correction(model, observed, last, update, k);
  const fade = model.method === 'none' ? 1 : Math.pow(0.5, model.stepSeconds / LEVEL_HALF_LIFE_SECONDS);
  // The forecast starts at the step after the last visible one, even when the newest values are missing.
  const offset = observed.visible - 1 - update;
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

/** The forecast's correction to its profile at the latest update: a level, and a trend per step. */
function correction(model: Seasonal, observed: Observed, last: number, update: number, k: number): { level: number; trend: number } {
  const tracking = model.tracking ?? FOLLOW_LATEST;
  if (k === 1 && (tracking.level < 1 || tracking.trend < 1)) return trackedCorrection(model, observed, last, tracking);
  const level = observed.values[last]! - seasonalAt(model, observed.times[update]!);
  return { level, trend: k > 1 ? trendBetweenUpdates(model, observed, update, level, k) : latestTrend(model, observed, last, level) };
}

/**
 * Holt's level and trend of the datapoints' distance from the profile over the last `trackingSteps`
 * steps, each new datapoint weighted by `tracking` (over a gap, the trend carries the level across).
 * While the datapoints keep landing above the forecast, as on a surge's ramp, the weights rise toward 1
 * with the rise signal, so the forecast follows the surge instead of smoothing it away.
 */
function trackedCorrection(model: Seasonal, observed: Observed, last: number, tracking: Tracking): { level: number; trend: number } {
  let level = NaN;
  let trend = 0;
  let at = -1;
  let seen = 0;
  const signal = new RiseSignal();
  for (let i = Math.max(0, last - trackingSteps(tracking)); i <= last; i++) {
    const value = observed.values[i]!;
    if (!Number.isFinite(value)) continue;
    const distance = value - seasonalAt(model, observed.times[i]!);
    if (at >= 0) {
      const steps = i - at;
      const expected = level + trend * steps;
      // The first change sets the trend as it is; the weights average the ones after it, or follow a rise.
      const weight = seen === 1 ? 1 : signal.next(distance - expected);
      const a = Math.max(tracking.level, weight);
      const b = Math.max(tracking.trend, weight);
      const next = a * distance + (1 - a) * expected;
      trend = b * ((next - level) / steps) + (1 - b) * trend;
      level = next;
    } else {
      level = distance;
    }
    at = i;
    seen++;
  }
  return { level, trend };
}

/** Trigg and Leach's smoothing for their tracking signal. */
const SIGNAL_WEIGHT = 0.2;

/**
 * Trigg and Leach's tracking signal, for rises only: the smoothed error over the smoothed absolute
 * error, given each new error. Jitter's errors change sign and keep it near 0; a run of datapoints above
 * the forecast brings it toward 1. A fall keeps it at 0: scale-in waits out its own window anyway.
 */
class RiseSignal {
  private bias = 0;
  private spread = 0;

  /** The signal given the next error. */
  next(error: number): number {
    this.bias = SIGNAL_WEIGHT * error + (1 - SIGNAL_WEIGHT) * this.bias;
    this.spread = SIGNAL_WEIGHT * Math.abs(error) + (1 - SIGNAL_WEIGHT) * this.spread;
    return this.bias > 0 ? this.bias / this.spread : 0;
  }
}

/** How many recent steps the correction reads: enough that older datapoints weigh under 2% (e⁻⁴). */
export function trackingSteps(tracking: Tracking): number {
  const weight = Math.min(tracking.level, tracking.trend);
  return weight >= 1 ? 5 : Math.ceil(4 / weight);
}

/** The change per step over the last (up to 5) steps, skipping missing datapoints. */
function latestTrend(model: Seasonal, observed: Observed, last: number, level: number): number {
  let prev = last - 1;
  while (prev >= 0 && last - prev <= 5 && !Number.isFinite(observed.values[prev]!)) prev--;
  if (prev < 0 || last - prev > 5) return 0;
  return changePerStep(model, level, observed.values[prev]!, observed.times[prev]!, last - prev);
}

/**
 * The change per step from the update before the one at `update` (k steps apart, give or take a late
 * one): that value, found over missing datapoints, and back to where it was first shown.
 */
function trendBetweenUpdates(model: Seasonal, observed: Observed, update: number, level: number, k: number): number {
  let before = update - 1;
  while (before >= 0 && update - before < 2 * k && !Number.isFinite(observed.values[before]!)) before--;
  if (before < 0 || update - before >= 2 * k) return 0;
  const shown = firstShown(observed.values, before, k);
  return changePerStep(model, level, observed.values[before]!, observed.times[shown]!, update - shown);
}

/** Where the value at `index` was first shown: back over its repeats, at most k - 1 steps (one update). */
function firstShown(values: ArrayLike<number>, index: number, k: number): number {
  let first = index;
  while (first > 0 && index - first < k - 1 && values[first - 1] === values[index]) first--;
  return first;
}

/** How much the level moved a step since `value` was shown at `time`, `steps` before it. */
function changePerStep(model: Seasonal, level: number, value: number, time: EpochSeconds, steps: number): number {
  return (level - (value - seasonalAt(model, time))) / steps;
}

/** A full forecast (point and upper band) for `steps` steps after the last visible observation. */
export function forecastFrom(model: ForecastModel, observed: Observed, steps: number): Forecast {
  const point = Array.from(predictPoints(model, observed, steps));
  const upper = point.map((p, i) => p + bandAt(model, i + 1, p));
  return { start: observed.times[observed.visible - 1]! + model.stepSeconds, stepSeconds: model.stepSeconds, point, upper };
}

/**
 * The band `horizon` steps ahead for a point forecast of `point` connections. A metric that updates every
 * few steps shows where the load went only at its next update, and meanwhile the load heads there: its
 * band is never read less than one update ahead.
 */
export function bandAt(model: ForecastModel, horizon: number, point: number): number {
  const row = model.bands[Math.min(Math.max(horizon, model.sampleSteps), model.bands.length) - 1];
  if (row === undefined) return 0;
  return row[levelBucket(model.levels, point)] ?? 0;
}

export function levelBucket(levels: readonly number[], point: number): number {
  let bucket = 0;
  while (bucket < levels.length && point > levels[bucket]!) bucket++;
  return bucket;
}
