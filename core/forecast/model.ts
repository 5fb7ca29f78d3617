import type { EpochSeconds } from '../time';
import type { SpreadModel } from './spread';

/** How the seasonal shape is modelled; `none` follows the recent level and trend alone. */
export type SeasonalMethod = 'none' | 'daily' | 'weekly' | 'blend';

/**
 * The weight each new datapoint gets in the forecast's level and in its trend (Holt's α and β). At 1 and 1
 * the forecast starts from the latest datapoint with its latest change; lower weights average out the
 * jitter of a noisy metric, which would otherwise swing the forecast from one minute to the next. They
 * are floors: while the datapoints keep landing above the forecast (a surge), they rise toward 1.
 */
export interface Tracking {
  readonly level: number;
  readonly trend: number;
}

/** Follow the latest datapoint and its latest change. */
export const FOLLOW_LATEST: Tracking = { level: 1, trend: 1 };

/**
 * One model the fitter tries: a seasonal method, with its profile averaged over ±`smoothingSeconds` of
 * neighbouring slots, and how its correction tracks the recent datapoints. Smoothing calms a noisy
 * profile; none keeps a sharp recurring peak (an hourly job).
 */
export interface ModelCandidate {
  readonly method: SeasonalMethod;
  readonly smoothingSeconds: number;
  readonly tracking: Tracking;
}

/** A candidate's mean absolute error at the capacity horizon on the holdout, relative to the mean. */
export interface CandidateScore extends ModelCandidate {
  readonly error: number;
}

/**
 * A fitted forecaster: a seasonal profile per slot and the empirical quantiles of its relative error by
 * horizon. Plain data, so it can be stored and shipped between the forecast refresh and the evaluations.
 */
export interface ForecastModel extends ModelCandidate {
  readonly stepSeconds: number;
  /** How many steps apart the metric's updates were in the history (1: it updated every step). */
  readonly sampleSteps: number;
  /** Time of slot 0 of `profile`: a multiple of the season length, so slots line up with wall time. */
  readonly epoch: EpochSeconds;
  /** The seasonal profile (empty for `none`), `period` slots long. */
  readonly profile: readonly number[];
  readonly period: number;
  /** The quantile the upper band stands at, e.g. 0.99. */
  readonly quantile: number;
  /** Upper bounds (connections) of the forecast level buckets the bands are measured in, lowest first. */
  readonly levels: readonly number[];
  /**
   * The band: bands[h - 1][bucket] is the quantile of (actual - point), in connections, `h` steps ahead,
   * for points in that level bucket. upper = point + band.
   */
  readonly bands: readonly (readonly number[])[];
  /** The spread of demand around the point forecast, for provisioning to a number of spreads (absent in models fitted before it). */
  readonly spread?: SpreadModel;
  /** Every candidate tried, with its score; the model is the best of them. */
  readonly scores: readonly CandidateScore[];
  /** When the candidates were last scored (the latest datapoint then); a refit within a day keeps the choice. */
  readonly selectedAt?: EpochSeconds;
}

/** A forecast from a model: the point and the upper band at the given times. */
export interface Forecast {
  readonly start: EpochSeconds;
  readonly stepSeconds: number;
  readonly point: readonly number[];
  readonly upper: readonly number[];
}

/** How a candidate's correction tracks the datapoints, for people: empty when it follows the latest. */
export function describeTracking(tracking: Tracking): string {
  return tracking.level < 1 || tracking.trend < 1 ? `, level weight ${tracking.level}, trend weight ${tracking.trend}` : '';
}

/** A candidate for people: its method, its profile's smoothing and its tracking, e.g. `daily, profile smoothed ±15 min`. */
export function describeCandidate(candidate: ModelCandidate): string {
  const profile = candidate.smoothingSeconds > 0 ? `, profile smoothed ±${candidate.smoothingSeconds / 60} min` : ', profile unsmoothed';
  return `${candidate.method}${candidate.method === 'none' ? '' : profile}${describeTracking(candidate.tracking)}`;
}
