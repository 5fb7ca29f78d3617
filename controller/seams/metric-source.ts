import type { AlarmDefinition, AlarmObservation, EpochSeconds, Forecast, TargetConfig } from '../../core';
import { CONNECTIONS } from '../../contract/connections';
import { AdapterError } from '../errors';

/** A metric's datapoints in time order, oldest first. */
export interface Series {
  readonly times: number[];
  readonly values: number[];
}

/** One metric of a target, as the chat nodes publish it: the fleet's latest value, and its history. */
export interface MetricReader {
  /** The fleet's latest value at `now`; `units`, where given, are the units the platform runs now. */
  latest(target: TargetConfig, now: EpochSeconds, units?: readonly string[]): Promise<number>;
  /** Fleet totals on a regular grid of minutes from `from` to `to`, NaN where a minute has no datapoint. */
  grid(target: TargetConfig, from: EpochSeconds, to: EpochSeconds): Promise<Series>;
}

/** The metrics a policy or an alarm may name, each with its reader: a new source is one more entry. */
export type MetricReaders = Readonly<Record<string, MetricReader>>;

/** The metric the forecaster fits and the re-tuning tunes on: the open connections. */
export const FORECAST_METRIC = CONNECTIONS;

/** The reader of a named metric; a name no source reads is an AdapterError naming those that are. */
export function readerOf(readers: MetricReaders, metric: string): MetricReader {
  const reader = Object.hasOwn(readers, metric) ? readers[metric] : undefined;
  if (reader === undefined) throw new AdapterError(`no metric source reads ${JSON.stringify(metric)}; known: ${Object.keys(readers).join(', ') || 'none'}`);
  return reader;
}

/** The step policies' alarms: which are in ALARM, and the datapoints one evaluates. */
export interface AlarmReader {
  /** The datapoints `alarm` evaluates over its last periods before `now`, newest last. */
  alarmDatapoints(target: TargetConfig, alarm: AlarmDefinition, now: EpochSeconds): Promise<number[]>;
  /** Of the named alarms, those now in ALARM, with the datapoints and threshold their policies act on. */
  firingAlarms(names: readonly string[]): Promise<Map<string, AlarmObservation>>;
}

/** Where the controller publishes its forecast, beside the metric it forecasts, for the dashboards. */
export interface ForecastSink {
  /** Publishes a forecast's steps from `from` until `until`; returns the datapoints sent. */
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
