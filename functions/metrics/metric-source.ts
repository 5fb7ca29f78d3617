import type { AlarmDefinition, AlarmObservation, EpochSeconds, Forecast, TargetConfig } from '../../core';

/** A metric's datapoints in time order, oldest first. */
export interface Series {
  readonly times: number[];
  readonly values: number[];
}

/**
 * Where the controller reads what the chat nodes publish (open connections, per target) and the state
 * of the step policies' alarms, and where it publishes its forecast beside them.
 */
export interface MetricSource {
  /** The metric names a policy or an alarm may read from this source. */
  readonly metrics: readonly string[];
  /** The fleet's latest value of `metric` at `now`; `units`, where given, are the units the platform runs now. */
  latest(target: TargetConfig, metric: string, now: EpochSeconds, units?: readonly string[]): Promise<number>;
  /** Fleet totals on a regular grid of minutes from `from` to `to`, NaN where a minute has no datapoint. */
  grid(target: TargetConfig, from: EpochSeconds, to: EpochSeconds): Promise<Series>;
  /** The datapoints `alarm` evaluates over its last periods before `now`, newest last. */
  alarmDatapoints(target: TargetConfig, alarm: AlarmDefinition, now: EpochSeconds): Promise<number[]>;
  /** Of the named alarms, those now in ALARM, with the datapoints and threshold their policies act on. */
  firingAlarms(names: readonly string[]): Promise<Map<string, AlarmObservation>>;
  /** Publishes a forecast's steps from `from` until `until` beside the metric; returns the datapoints sent. */
  putForecast(target: TargetConfig, forecast: Forecast, window: { readonly from: EpochSeconds; readonly until: EpochSeconds }): Promise<number>;
}

/** Open connections per unit (task or instance id), to choose which units a scale-in should spare. */
export interface UnitLoads {
  connectionsByUnit(target: TargetConfig, units: readonly string[], now: EpochSeconds): Promise<Map<string, number>>;
}

/** The `keep` units with the most connections (ties keep the listed order). */
export function busiest(loads: ReadonlyMap<string, number>, keep: number): string[] {
  return [...loads.entries()]
    .map(([unit, load], i) => ({ unit, load, i }))
    .sort((a, b) => b.load - a.load || a.i - b.i)
    .slice(0, keep)
    .map((e) => e.unit);
}
