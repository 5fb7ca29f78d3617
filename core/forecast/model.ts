import type { EpochSeconds } from '../time';

/** How the seasonal shape is modelled; `none` follows the recent level and trend alone. */
export type SeasonalMethod = 'none' | 'daily' | 'weekly' | 'blend';

/**
 * A fitted forecaster: a seasonal profile per slot and the empirical quantiles of its relative error by
 * horizon. Plain data, so it can be stored and shipped between the forecast refresh and the evaluations.
 */
export interface ForecastModel {
  readonly method: SeasonalMethod;
  readonly stepSeconds: number;
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
  /** Mean absolute error of each candidate at the capacity horizon on the holdout, relative to the mean. */
  readonly scores: Readonly<Record<SeasonalMethod, number>>;
}

/** A forecast from a model: the point and the upper band at the given times. */
export interface Forecast {
  readonly start: EpochSeconds;
  readonly stepSeconds: number;
  readonly point: readonly number[];
  readonly upper: readonly number[];
}
