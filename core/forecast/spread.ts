import type { EpochSeconds } from '../time';
import { seasonalProfile } from './profile';
import { selectNth } from './select';

/**
 * How widely demand scatters around its level, predicted per future minute: the seasonal profile of the
 * spread (per hour of the day, or of the week), scaled by how the last hour's spread compared with its
 * own slot. Per-minute noise follows the time of day and persists from one hour to the next, and it is
 * not proportional to the level: a headroom that is a share of the forecast overpays in quiet hours.
 */
export interface SpreadModel {
  /** Steps in one spread block (an hour): the spread is measured over blocks, and the recent one over the last. */
  readonly blockSteps: number;
  /** Time of slot 0: a multiple of the season, so slots line up with wall time. */
  readonly epoch: EpochSeconds;
  /** Standard deviation of demand around its local trend, per block slot of the season (24 or 168 slots). */
  readonly profile: readonly number[];
  /** How far the last hour's spread moves the profile, as a power of their ratio (0: not at all, 1: fully). */
  readonly recentWeight: number;
  /** The smallest spread ever predicted, so a silent hour does not promise zero noise. */
  readonly floor: number;
  /**
   * The forecast's error in predicted spreads, h steps ahead (index h - 1): its mean and its standard
   * deviation. Provisioning to z spreads adds spread·(mean[h] + z·scale[h]) to the point forecast.
   */
  readonly errorMean: readonly number[];
  readonly errorScale: readonly number[];
}

const HOUR = 3600;
const DAY = 86_400;
const WEEK = 7 * DAY;
/** How far (a factor) the last hour can move the profile: one odd hour is evidence, not a new regime. */
const MAX_RECENT_RATIO = 4;
/** Recent weights tried on the held-out day; the one that predicted its hours' spreads best is kept. */
const RECENT_WEIGHTS = [0, 0.25, 0.5, 0.75, 1];
/** A block with fewer datapoints than this says nothing about its spread. */
const MIN_BLOCK_POINTS = 6;
/** The floor on a predicted spread, as a share of the series mean. */
const FLOOR_SHARE = 0.005;

/**
 * The standard deviation of `values[from, to)` around their least-squares line, skipping gaps; NaN with
 * too few datapoints. Around a line, not a mean: a ramp the level forecast follows is not noise.
 */
export function spreadAroundTrend(values: ArrayLike<number>, from: number, to: number): number {
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = Math.max(0, from); i < to; i++) {
    const y = values[i]!;
    if (!Number.isFinite(y)) continue;
    const x = i - from;
    n++;
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
    syy += y * y;
  }
  if (n < MIN_BLOCK_POINTS) return NaN;
  const vx = sxx - (sx * sx) / n;
  const vy = syy - (sy * sy) / n;
  const cxy = sxy - (sx * sy) / n;
  const residual = vx > 0 ? vy - (cxy * cxy) / vx : vy;
  return Math.sqrt(Math.max(0, residual) / n);
}

/** The seasonal shape and recent weight of a spread model, before its error by horizon is measured. */
export type SpreadShape = Omit<SpreadModel, 'errorMean' | 'errorScale'>;

/**
 * Fits the spread's shape on a series at a fixed step (times[0] is its first datapoint): the spread of
 * each whole hour, a daily profile of them (blended with a weekly one given a week of hours), and the
 * recent weight that best predicted each hour of the last day from the hour before it, on profiles
 * fitted without that day.
 */
export function fitSpreadShape(times: ArrayLike<EpochSeconds>, values: ArrayLike<number>, stepSeconds: number, mean: number): SpreadShape {
  const blockSteps = Math.max(1, Math.round(HOUR / stepSeconds));
  const epoch = Math.floor(times[0]! / WEEK) * WEEK;
  // Blocks line up with wall-clock hours: the first starts at the first whole hour of the series.
  const offset = (blockSteps - (Math.round((times[0]! - epoch) / stepSeconds) % blockSteps)) % blockSteps;
  const firstSlot = Math.round((times[0]! - epoch) / stepSeconds + offset) / blockSteps;
  const blocks: number[] = [];
  for (let from = offset; from + blockSteps <= values.length; from += blockSteps) blocks.push(spreadAroundTrend(values, from, from + blockSteps));
  const floor = Math.max(FLOOR_SHARE * mean, 1e-9);
  const held = Math.min(24, Math.floor(blocks.length / 4));
  const early = blocks.slice(0, blocks.length - held);
  const weekly = early.length >= 7 * 24;
  const shape = (sample: readonly number[]) => spreadProfile(sample, firstSlot, weekly);
  const scored = shape(early);
  const recentWeight = bestRecentWeight(blocks, early.length, firstSlot, scored, floor);
  return { blockSteps, epoch, profile: shape(blocks), recentWeight, floor };
}

/** Per slot of the season: a daily profile, averaged with a weekly one when there is a week of blocks. */
function spreadProfile(blocks: readonly number[], firstSlot: number, weekly: boolean): number[] {
  const daily = seasonalProfile(blocks, firstSlot % 24, 24, 3);
  if (!weekly) return Array.from(daily, finiteOr(0));
  const week = seasonalProfile(blocks, firstSlot % 168, 168, 1);
  return Array.from(week, (w, s) => {
    const d = daily[s % 24]!;
    return Number.isFinite(w) && Number.isFinite(d) ? (w + d) / 2 : Number.isFinite(w) ? w : finiteOr(0)(d);
  });
}

const finiteOr = (fallback: number) => (v: number) => (Number.isFinite(v) ? v : fallback);

/** The recent weight whose predictions of each held-out block, from the block before it, erred least in log terms. */
function bestRecentWeight(blocks: readonly number[], split: number, firstSlot: number, profile: readonly number[], floor: number): number {
  const at = (i: number) => Math.max(floor, profile[(firstSlot + i) % profile.length]!);
  let best = RECENT_WEIGHTS[0]!;
  let bestError = Infinity;
  for (const weight of RECENT_WEIGHTS) {
    let error = 0;
    let count = 0;
    for (let i = Math.max(1, split); i < blocks.length; i++) {
      const actual = blocks[i]!;
      const before = blocks[i - 1]!;
      if (!Number.isFinite(actual) || !Number.isFinite(before)) continue;
      const predicted = at(i) * recentRatio(before, at(i - 1), weight);
      error += Math.log(Math.max(actual, floor) / predicted) ** 2;
      count++;
    }
    if (count > 0 && error / count < bestError - 1e-12) {
      bestError = error / count;
      best = weight;
    }
  }
  return best;
}

/** The factor the recent spread moves the profile by: their ratio, bounded, to the recent weight. */
function recentRatio(recent: number, expected: number, weight: number): number {
  if (!Number.isFinite(recent) || weight === 0) return 1;
  const ratio = Math.min(MAX_RECENT_RATIO, Math.max(1 / MAX_RECENT_RATIO, recent / expected));
  return Math.pow(ratio, weight);
}

/**
 * A spread forecast from the datapoints visible at `visible` (a count) and `lastTime`: the profile at any
 * later time, scaled by `factor`, how the last hour's spread compared with the profile at that hour.
 */
export interface SpreadForecast {
  readonly shape: SpreadShape;
  readonly stepSeconds: number;
  readonly factor: number;
}

export function spreadForecast(shape: SpreadShape, values: ArrayLike<number>, visible: number, lastTime: EpochSeconds, stepSeconds: number): SpreadForecast {
  const recent = shape.recentWeight === 0 ? NaN : spreadAroundTrend(values, visible - shape.blockSteps, visible);
  const midRecent = lastTime - ((shape.blockSteps - 1) * stepSeconds) / 2;
  return { shape, stepSeconds, factor: recentRatio(recent, profileAt(shape, stepSeconds, midRecent), shape.recentWeight) };
}

/** The predicted spread at `time`. */
export function spreadAt(forecast: SpreadForecast, time: EpochSeconds): number {
  return profileAt(forecast.shape, forecast.stepSeconds, time) * forecast.factor;
}

/** The profile's spread at `time`, never below the floor. */
function profileAt(shape: SpreadShape, stepSeconds: number, time: EpochSeconds): number {
  const period = shape.profile.length;
  const slot = Math.floor((time - shape.epoch) / (shape.blockSteps * stepSeconds)) % period;
  return Math.max(shape.floor, shape.profile[slot < 0 ? slot + period : slot]!);
}

/**
 * Samples of the forecast's error in predicted spreads at one horizon. Summed robustly: a spike lands
 * many spreads of a quiet hour above the forecast, and a mean and standard deviation would let a few
 * spikes size every hour's margin.
 */
export class SpreadErrors {
  private readonly ratios: number[] = [];

  add(error: number, spread: number): void {
    const u = error / spread;
    if (Number.isFinite(u)) this.ratios.push(u);
  }

  /**
   * Their median, and the half-width of their central 68% (a standard deviation, for normal errors);
   * undefined with too few.
   */
  stats(): { readonly mean: number; readonly scale: number } | undefined {
    if (this.ratios.length < MIN_ERRORS) return undefined;
    const ratios = Float64Array.from(this.ratios);
    const at = (q: number) => selectNth(ratios, Math.min(ratios.length - 1, Math.floor(q * ratios.length)));
    return { mean: at(0.5), scale: (at(NORMAL_84) - at(1 - NORMAL_84)) / 2 };
  }
}

/** Fewer errors than this at a horizon: it borrows the one before. */
const MIN_ERRORS = 20;
/** The quantile one standard deviation above the mean of a normal distribution. */
const NORMAL_84 = 0.8413;

/** What provisioning to `deviations` spreads adds to a point forecast `horizon` steps ahead at `time`. */
export function spreadBand(model: SpreadModel, forecast: SpreadForecast, horizon: number, time: EpochSeconds, deviations: number): number {
  const h = Math.min(Math.max(1, horizon), model.errorMean.length) - 1;
  return Math.max(0, spreadAt(forecast, time) * (model.errorMean[h]! + deviations * model.errorScale[h]!));
}
