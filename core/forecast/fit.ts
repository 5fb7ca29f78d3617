import { InvalidInputError } from '../errors';
import type { EpochSeconds } from '../time';
import { FOLLOW_LATEST, type CandidateScore, type ForecastModel, type ModelCandidate, type SeasonalMethod, type Tracking } from './model';
import { levelBucket, predictPoints, type Seasonal } from './predict';
import { seasonalProfile, smoothCircular } from './profile';
import { fitSpreadShape, spreadAt, SpreadErrors, spreadForecast, type SpreadForecast, type SpreadModel, type SpreadShape } from './spread';
import { holdBetweenUpdates, sampleStepsOf } from './resolution';
import { selectNth } from './select';
import { typedRange } from './typed';

export interface FitOptions {
  readonly stepSeconds: number;
  /** The quantile of the upper band, e.g. 0.99. */
  readonly quantile: number;
  /** The horizon whose accuracy picks the model: the one capacity depends on (start-up plus buffer). */
  readonly scoreHorizonSeconds: number;
  /** How far ahead the bands are measured (beyond it, the last band applies). */
  readonly horizonSeconds: number;
  readonly maxHistorySeconds: number;
}

export const DEFAULT_FIT_OPTIONS: Omit<FitOptions, 'stepSeconds'> = {
  quantile: 0.99,
  scoreHorizonSeconds: 180,
  horizonSeconds: 48 * 3600,
  maxHistorySeconds: 14 * 86_400,
};

const DAY = 86_400;
const WEEK = 7 * DAY;
/** Horizons (in seconds) at which the band is measured; between them the next one applies. */
const BAND_HORIZONS = [60, 120, 180, 240, 300, 420, 600, 900, 1200, 1800, 2700, 3600, 5400, 7200, 10_800, 14_400, 21_600, 28_800, 43_200, 86_400, 129_600, 172_800];
/** Forecast level buckets, as multiples of the series mean. */
const LEVEL_BUCKETS = [0.5, 1, 2];
/** Fewer errors than this in a bucket: the bucket borrows the pooled quantile of its horizon. */
const MIN_BUCKET_SAMPLES = 30;
/** Profile smoothings tried (± seconds): a quarter-hour calms noise, none keeps sharp recurring peaks. */
const SMOOTHINGS = [900, 0];
/** Level and trend weights tried for the best seasonal model, following the latest datapoint first. */
const TRACKING_WEIGHTS = [1, 0.5, 0.3, 0.2];
/** Cap on predictions made to measure the bands, to keep a fit fast. */
const BAND_BUDGET = 400_000;
/**
 * Cap on the holdout origins candidates are scored and bands measured from: a 1-minute metric's day is
 * read from every third minute, enough for a mean error or an 80th or 99th percentile per horizon, and a
 * third of the work.
 */
const HOLDOUT_ORIGINS = 480;

/** How long a choice of model stands: it is scored on a held-out day, which an hourly refit barely moves. */
export const RESELECT_SECONDS = DAY;

/**
 * Fits the forecaster on one series at a fixed step (NaN marks a gap; at least 24 hours, the last
 * `maxHistorySeconds` used). Candidate seasonal methods are fitted on all but the last day and scored on
 * it at the capacity horizon; the best is refitted on everything, and its errors on the held-out day give
 * the upper band at each horizon and forecast level. Given the `previous` model of the same metric, its
 * choice stands for RESELECT_SECONDS after it was made, and only the profile and the bands are refitted:
 * scoring every candidate is most of a fit's work, and an hour more of history barely moves the scores.
 */
export function fitForecastModel(times: ArrayLike<EpochSeconds>, values: ArrayLike<number>, options: FitOptions, previous?: ForecastModel): ForecastModel {
  const step = options.stepSeconds;
  const span = times.length > 0 ? times[times.length - 1]! - times[0]! + step : 0;
  if (span < DAY) throw new InvalidInputError(`forecasting needs at least 24 hours of history, got ${(span / 3600).toFixed(1)} hours`);
  if (!(options.quantile > 0 && options.quantile < 1)) throw new InvalidInputError(`quantile must be between 0 and 1, got ${options.quantile}`);

  const keep = Math.min(times.length, Math.floor(options.maxHistorySeconds / step));
  // Typed copies: every pass below reads them, and the held-out split is a view, not a copy.
  const t = lastOf(times, keep);
  const recent = lastOf(values, keep);
  // A metric that updates every few steps is read as held between updates (see sampleStepsOf).
  const sampleSteps = sampleStepsOf(recent);
  const v = holdBetweenUpdates(recent, sampleSteps);
  const { count: finite, mean } = finiteMean(v);
  if (finite * step < DAY) {
    throw new InvalidInputError(`forecasting needs at least 24 hours of datapoints, got ${((finite * step) / 3600).toFixed(1)} hours (${v.length - finite} of ${v.length} steps missing)`);
  }

  const holdout = Math.min(Math.floor(DAY / step), Math.floor(v.length / 4));
  const split = v.length - holdout;
  const early = seasonalFits(t.subarray(0, split), v.subarray(0, split), step, sampleSteps);
  const lastTime = t[t.length - 1]!;
  const candidates = modelCandidates(split * step >= WEEK, step);
  const kept = previous !== undefined && choiceStands(previous, { lastTime, step, sampleSteps, quantile: options.quantile, candidates });
  const { scores, best, selectedAt } = kept ? { scores: previous.scores, best: chosen(previous), selectedAt: previous.selectedAt! } : { ...selectModel(), selectedAt: lastTime };

  function selectModel(): { scores: CandidateScore[]; best: CandidateScore } {
    const scoreH = Math.max(1, Math.round(options.scoreHorizonSeconds / step));
    const score = (candidate: ModelCandidate): CandidateScore => ({ ...candidate, error: holdoutError(early(candidate), t, v, split, scoreH) / Math.max(mean, 1e-9) });
    const seasonal = candidates.map(score);
    const bestSeasonal = lowestError(seasonal);
    // A metric that updates every few steps keeps its own trend between updates (see predictPoints).
    const tracked = sampleSteps > 1 ? [] : trackingCandidates().map((tracking) => score({ ...bestSeasonal, tracking }));
    const all = [...seasonal, ...tracked];
    return { scores: all, best: lowestError(all) };
  }

  const levels = LEVEL_BUCKETS.map((m) => m * mean);
  // The band of a metric that updates every few steps is read at least one update ahead (see bandAt): measure it there.
  const measured = BAND_HORIZONS.filter((s) => s <= Math.max(options.horizonSeconds, step)).map((s) => Math.max(1, Math.round(s / step)));
  const horizons = [...new Set([...measured, sampleSteps])].sort((a, b) => a - b);
  const earlyShape = fitSpreadShape(t.subarray(0, split), v.subarray(0, split), step, mean);
  const spreadErrors = horizons.map(() => new SpreadErrors());
  const quantiles = bandQuantiles(early(best), t, v, split, horizons, levels, options.quantile, spreadSampler(earlyShape, t, v, step, sampleSteps, spreadErrors));
  const maxH = horizons[horizons.length - 1]!;
  const byHorizon = <T>(measured: readonly T[]): T[] => {
    const out: T[] = [];
    for (let h = 1, k = 0; h <= maxH; h++) {
      while (horizons[k]! < h) k++;
      out.push(measured[k]!);
    }
    return out;
  };
  const final = seasonalFits(t, v, step, sampleSteps)(best);
  const spread = spreadModel(fitSpreadShape(t, v, step, mean), byHorizon(spreadErrors.map((e) => e.stats())));
  return { ...final, sampleSteps, smoothingSeconds: best.smoothingSeconds, tracking: best.tracking, profile: Array.from(final.profile), quantile: options.quantile, levels, bands: byHorizon(quantiles), scores, selectedAt, spread };
}

/**
 * Collects the holdout's errors in predicted spreads: at each origin, the spread forecast from what was
 * visible there (a metric that updates every few steps read at least one update ahead, as its band is).
 */
function spreadSampler(shape: SpreadShape, times: ArrayLike<number>, values: ArrayLike<number>, step: number, sampleSteps: number, errors: readonly SpreadErrors[]): ErrorSink {
  let at = -1;
  let forecast: SpreadForecast | undefined;
  return (origin, k, h, error) => {
    if (origin !== at) {
      forecast = spreadForecast(shape, values, origin, times[origin - 1]!, step);
      at = origin;
    }
    errors[k]!.add(error, spreadAt(forecast!, times[origin - 1]! + Math.max(h, sampleSteps) * step));
  };
}

/** The spread model from its shape and its errors by horizon; a horizon with too few samples takes the nearest measured before it. */
function spreadModel(shape: SpreadShape, stats: readonly ({ readonly mean: number; readonly scale: number } | undefined)[]): SpreadModel {
  const errorMean: number[] = [];
  const errorScale: number[] = [];
  stats.forEach((s, i) => {
    errorMean.push(s?.mean ?? errorMean[i - 1] ?? 0);
    errorScale.push(s?.scale ?? errorScale[i - 1] ?? 1);
  });
  return { ...shape, errorMean, errorScale };
}

/** Told of each holdout error as it is measured: the origin, the horizon's index and steps, and actual - point. */
type ErrorSink = (origin: number, k: number, h: number, error: number) => void;

/**
 * Whether a previous model's choice still stands for this fit: made less than RESELECT_SECONDS before
 * the latest datapoint, on a metric of the same step and update rate, for the same band, among the same
 * candidates (a week of history adds the weekly ones).
 */
function choiceStands(
  previous: ForecastModel,
  now: { lastTime: EpochSeconds; step: number; sampleSteps: number; quantile: number; candidates: readonly ModelCandidate[] },
): boolean {
  const age = now.lastTime - (previous.selectedAt ?? -Infinity);
  const sameCandidates = now.candidates.every((c) => previous.scores.some((s) => s.method === c.method && s.smoothingSeconds === c.smoothingSeconds));
  const sameCount = new Set(previous.scores.map((s) => `${s.method}/${s.smoothingSeconds}`)).size === now.candidates.length;
  return age >= 0 && age < RESELECT_SECONDS && previous.stepSeconds === now.step && previous.sampleSteps === now.sampleSteps && previous.quantile === now.quantile && sameCandidates && sameCount;
}

/** The candidate a model was chosen as, with its score. */
function chosen(model: ForecastModel): CandidateScore {
  const { method, smoothingSeconds, tracking } = model;
  const score = model.scores.find((s) => s.method === method && s.smoothingSeconds === smoothingSeconds && s.tracking.level === tracking.level && s.tracking.trend === tracking.trend);
  return { method, smoothingSeconds, tracking, error: score?.error ?? NaN };
}

/**
 * `none`, then each seasonal method at each smoothing that differs at this step (weekly ones need a
 * week), all following the latest datapoint.
 */
function modelCandidates(weekOfHistory: boolean, step: number): ModelCandidate[] {
  const methods: SeasonalMethod[] = weekOfHistory ? ['daily', 'weekly', 'blend'] : ['daily'];
  const smoothings = [...new Set(SMOOTHINGS.map((s) => Math.round(s / step) * step))];
  const seasonal = methods.flatMap((method) => smoothings.map((smoothingSeconds) => ({ method, smoothingSeconds })));
  return [{ method: 'none' as const, smoothingSeconds: 0 }, ...seasonal].map((c) => ({ ...c, tracking: FOLLOW_LATEST }));
}

/** Every pair of level and trend weights below following the latest datapoint. */
function trackingCandidates(): Tracking[] {
  return TRACKING_WEIGHTS.flatMap((level) => TRACKING_WEIGHTS.map((trend) => ({ level, trend }))).filter((w) => w.level < 1 || w.trend < 1);
}

/** The first of the lowest error: a tie keeps the simpler, earlier candidate. */
function lowestError(scores: readonly CandidateScore[]): CandidateScore {
  return scores.reduce((a, b) => (b.error < a.error ? b : a));
}

/** The daily and weekly profiles of one series, fitted once per smoothing and shared by every candidate. */
function seasonalFits(times: ArrayLike<number>, values: ArrayLike<number>, step: number, sampleSteps: number): (candidate: ModelCandidate) => Seasonal {
  const dayPeriod = Math.round(DAY / step);
  const weekPeriod = 7 * dayPeriod;
  const epoch = Math.floor(times[0]! / WEEK) * WEEK;
  const firstIndex = Math.round((times[0]! - epoch) / step);
  const profiles = new Map<string, Float64Array>();
  const cached = (key: string, make: () => Float64Array) => profiles.get(key) ?? profiles.set(key, make()).get(key)!;
  const profile = (period: number, halfLifeSeasons: number, smoothingSeconds: number): Float64Array => {
    const raw = cached(`${period}`, () => seasonalProfile(values, firstIndex % period, period, halfLifeSeasons));
    return smoothingSeconds === 0 ? raw : cached(`${period}/${smoothingSeconds}`, () => smoothCircular(raw, Math.round(smoothingSeconds / step)));
  };
  return ({ method, smoothingSeconds, tracking }) => {
    const getDaily = () => profile(dayPeriod, 3, smoothingSeconds);
    const getWeekly = () => profile(weekPeriod, 1, smoothingSeconds);
    const base = { method, stepSeconds: step, epoch, sampleSteps, tracking };
    switch (method) {
      case 'none':
        return { ...base, profile: [], period: 1 };
      case 'daily':
        return { ...base, profile: getDaily(), period: dayPeriod };
      case 'weekly':
        return { ...base, profile: getWeekly(), period: weekPeriod };
      case 'blend': {
        const d = getDaily();
        const w = getWeekly();
        const profile = new Float64Array(weekPeriod);
        for (let s = 0; s < weekPeriod; s++) {
          const a = w[s]!;
          const b = d[s % dayPeriod]!;
          profile[s] = Number.isFinite(a) && Number.isFinite(b) ? (a + b) / 2 : Number.isFinite(a) ? a : b;
        }
        return { ...base, profile, period: weekPeriod };
      }
    }
  };
}

/** Mean absolute error `h` steps ahead, forecasting from every origin in the holdout. */
function holdoutError(model: Seasonal, times: ArrayLike<number>, values: ArrayLike<number>, split: number, h: number): number {
  let total = 0;
  let count = 0;
  const out = new Float64Array(h);
  const stride = Math.max(1, Math.ceil((values.length - split) / HOLDOUT_ORIGINS));
  for (let origin = split; origin + h <= values.length; origin += stride) {
    const actual = values[origin + h - 1]!;
    if (!Number.isFinite(actual)) continue;
    predictPoints(model, { times, values, visible: origin }, h, out);
    total += Math.abs(actual - out[h - 1]!);
    count++;
  }
  return count > 0 ? total / count : Infinity;
}

/**
 * The `quantile` of (actual - point) at each horizon and forecast level bucket over the holdout, never
 * shrinking with the horizon. A bucket with too few errors borrows its horizon's pooled quantile.
 */
function bandQuantiles(
  model: Seasonal,
  times: ArrayLike<number>,
  values: ArrayLike<number>,
  split: number,
  horizons: readonly number[],
  levels: readonly number[],
  quantile: number,
  onError?: ErrorSink,
): number[][] {
  const maxH = horizons[horizons.length - 1]!;
  const buckets = levels.length + 1;
  const errors: number[][][] = horizons.map(() => Array.from({ length: buckets }, () => []));
  const out = new Float64Array(maxH);
  const stride = Math.max(1, Math.ceil((values.length - split) / HOLDOUT_ORIGINS), Math.ceil(((values.length - split) * maxH) / BAND_BUDGET));
  for (let origin = split; origin < values.length; origin += stride) {
    const reach = Math.min(maxH, values.length - origin);
    predictPoints(model, { times, values, visible: origin }, reach, out);
    for (let k = 0; k < horizons.length && horizons[k]! <= reach; k++) {
      const h = horizons[k]!;
      const actual = values[origin + h - 1]!;
      const point = out[h - 1]!;
      if (!Number.isFinite(actual)) continue;
      errors[k]![levelBucket(levels, point)]!.push(actual - point);
      onError?.(origin, k, h, actual - point);
    }
  }
  const carried = new Array<number>(buckets).fill(0);
  return errors.map((byBucket) => {
    // The pooled quantile is only needed by a bucket with too few errors of its own.
    let pooled: number | undefined | null = null;
    const pooledQuantile = () => (pooled === null ? (pooled = quantileOf(concatenated(byBucket), quantile)) : pooled);
    return byBucket.map((e, b) => {
      const q = e.length >= MIN_BUCKET_SAMPLES ? quantileOf(e, quantile) : pooledQuantile();
      carried[b] = Math.max(carried[b]!, q ?? 0);
      return carried[b]!;
    });
  });
}

function quantileOf(values: ArrayLike<number>, q: number): number | undefined {
  if (values.length === 0) return undefined;
  const copy = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) copy[i] = values[i]!;
  return selectNth(copy, Math.min(values.length - 1, Math.floor(q * values.length)));
}

/** Every list's values, one after another, typed. */
function concatenated(lists: readonly (readonly number[])[]): Float64Array {
  const out = new Float64Array(lists.reduce((n, l) => n + l.length, 0));
  let at = 0;
  for (const list of lists) for (let i = 0; i < list.length; i++) out[at++] = list[i]!;
  return out;
}

/** How many values are finite, and their mean. */
function finiteMean(values: ArrayLike<number>): { count: number; mean: number } {
  let count = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    count++;
    sum += v;
  }
  return { count, mean: count > 0 ? sum / count : NaN };
}

/** The last `count` values, typed; a typed array that is exactly them is read as it is (the fit never writes to it). */
function lastOf(values: ArrayLike<number>, count: number): Float64Array {
  return values instanceof Float64Array && values.length === count ? values : typedRange(values, values.length - count, values.length);
}
