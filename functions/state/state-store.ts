import type { Decision, EpochSeconds, ForecastModel, TargetState } from '../../core';

export interface StoredState {
  readonly state: TargetState;
  /** 0 when nothing is stored yet; every save increments it. */
  readonly version: number;
}

/**
 * Where each target's engine state, its fitted forecast and its scale-in protection are kept between
 * invocations. `save` is conditional on the version read, so of two invocations that decided from the
 * same state exactly one wins; the other gets a StateConflictError and decides again.
 */
export interface StateStore {
  load(target: string): Promise<StoredState>;
  save(target: string, decision: Decision, version: number, now: EpochSeconds): Promise<number>;
  /** The forecaster fitted by the last refresh, or undefined before the first one. */
  loadForecast(target: string): Promise<{ model: ForecastModel; fittedAt: EpochSeconds } | undefined>;
  saveForecast(target: string, model: ForecastModel, fittedAt: EpochSeconds): Promise<void>;
  /** Units protected for a scale-in that is not over yet (empty when none). */
  loadProtection(target: string): Promise<string[]>;
  saveProtection(target: string, units: readonly string[]): Promise<void>;
}
