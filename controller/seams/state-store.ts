import type { EpochSeconds, ForecastModel, TargetState, TunedSettings } from '../../core';

export interface StoredState {
  readonly state: TargetState;
  /** 0 when nothing is stored yet; every save increments it. */
  readonly version: number;
}

/** What a target's item says about the last decision, for an operator reading the table. */
export interface LastDecision {
  readonly at: EpochSeconds;
  readonly current: number;
  readonly desired: number;
  /** The decision's reason code, or `ApplyFailed` when the platform refused the change. */
  readonly reason: string;
  readonly message: string;
}

/** One save: the engine state to keep, and the decision that produced it. */
export interface StateEntry {
  readonly state: TargetState;
  readonly lastDecision: LastDecision;
}

/** A fitted forecast as the refresh stores it. */
export interface StoredForecast {
  readonly model: ForecastModel;
  /** When it was fitted: an older fit never replaces a newer one. */
  readonly fittedAt: EpochSeconds;
  /** Up to when its forecast has been published, so the next refresh publishes each minute only once. */
  readonly publishedUntil: EpochSeconds;
}

/** A target's tuned settings, as the daily re-tuning stores them for every decision to apply. */
export interface StoredTuning {
  readonly settings: TunedSettings;
  /** When they were tuned: the next re-tuning is a day later. */
  readonly tunedAt: EpochSeconds;
}

/**
 * A target's engine state between invocations. `save` is conditional on the version read, so of two
 * invocations that decided from the same state exactly one wins; the other gets a StateConflictError
 * and decides again.
 */
export interface DecisionStore {
  load(target: string): Promise<StoredState>;
  save(target: string, entry: StateEntry, version: number): Promise<number>;
}

/** The forecaster the hourly refresh fitted, for the evaluations to read. */
export interface ForecastStore {
  /** The forecaster fitted by the last refresh, or undefined before the first one. */
  loadForecast(target: string): Promise<StoredForecast | undefined>;
  /**
   * Stores a fitted forecast, unless one fitted at or after it is stored already: a late retry of an
   * older refresh never replaces a newer model. Returns whether it was stored.
   */
  saveForecast(target: string, forecast: StoredForecast): Promise<boolean>;
}

/** The settings the daily re-tuning chose, for every decision to apply. */
export interface TuningStore {
  /** The settings the last re-tuning chose for a target with an objective, or undefined before the first. */
  loadTuning(target: string): Promise<StoredTuning | undefined>;
  /** Stores tuned settings, unless settings tuned at or after them are stored already. Returns whether it stored them. */
  saveTuning(target: string, tuning: StoredTuning): Promise<boolean>;
}

/** The units protected for a scale-in that is not over yet. */
export interface ProtectionStore {
  /** Units protected for a scale-in that is not over yet (empty when none). */
  loadProtection(target: string): Promise<string[]>;
  saveProtection(target: string, units: readonly string[]): Promise<void>;
}

/** Every store a deployment keeps, in one table (DynamoDB) or one map (in memory). */
export type StateStore = DecisionStore & ForecastStore & TuningStore & ProtectionStore;
