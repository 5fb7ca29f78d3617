import { evaluateAlarm, type AlarmDefinition, type AlarmObservation, type EpochSeconds, type Forecast, type TargetConfig } from '../../core';
import { CONNECTIONS } from '../../contract/connections';
import { AdapterError } from '../errors';
import type { AlarmReader, ForecastSink, MetricReader, MetricReaders, Series, UnitLoads } from './metric-source';

const MINUTE = 60;

/**
 * The connections metric, the alarms, the forecast sink and the per-unit loads in this process's memory: what the chat nodes report is recorded per target
 * and unit, and read back as CloudWatch would (per-minute fleet totals, per-unit averages for alarms).
 */
export class InMemoryMetrics implements MetricReader, AlarmReader, ForecastSink, UnitLoads {
  /** Per target name: minute -> (unit -> latest connections in that minute). */
  private readonly byTarget = new Map<string, Map<number, Map<string, number>>>();
  private readonly alarms = new Map<string, AlarmObservation>();
  /** Every forecast published, per target, newest last. */
  readonly forecasts = new Map<string, Forecast[]>();

  /** A unit reports its open connections at `at`. */
  record(targetName: string, unit: string, connections: number, at: EpochSeconds): void {
    const minutes = this.byTarget.get(targetName) ?? new Map<number, Map<string, number>>();
    this.byTarget.set(targetName, minutes);
    const minute = Math.floor(at / MINUTE) * MINUTE;
    const units = minutes.get(minute) ?? new Map<string, number>();
    minutes.set(minute, units);
    units.set(unit, connections);
  }

  /** Puts an alarm in ALARM with what its policy should see, or takes it out with undefined. */
  setAlarm(name: string, observed: AlarmObservation | undefined): void {
    if (observed === undefined) this.alarms.delete(name);
    else this.alarms.set(name, observed);
  }

  /** This one store in every metric seam of the controller's deps. */
  seams(): { metrics: MetricReaders; alarms: AlarmReader; forecastSink: ForecastSink; unitLoads: UnitLoads } {
    return { metrics: { [CONNECTIONS]: this }, alarms: this, forecastSink: this, unitLoads: this };
  }

  async latest(target: TargetConfig, now: EpochSeconds): Promise<number> {
    const end = Math.floor(now / MINUTE) * MINUTE;
    for (let minute = end - MINUTE; minute >= end - 5 * MINUTE; minute -= MINUTE) {
      const total = this.total(target.name, minute);
      if (total !== undefined) return total;
    }
    throw new AdapterError(`no connections datapoint for target ${target.name} in the last 5 minutes`);
  }

  async grid(target: TargetConfig, from: EpochSeconds, to: EpochSeconds): Promise<Series> {
    const times: number[] = [];
    const values: number[] = [];
    for (let t = Math.floor(from / MINUTE) * MINUTE; t < Math.floor(to / MINUTE) * MINUTE; t += MINUTE) {
      times.push(t);
      values.push(this.total(target.name, t) ?? NaN);
    }
    return { times, values };
  }

  async alarmDatapoints(target: TargetConfig, alarm: AlarmDefinition, now: EpochSeconds): Promise<number[]> {
    const period = alarm.periodSeconds;
    const end = Math.floor(now / period) * period;
    const values: number[] = [];
    for (let start = end - alarm.evaluationPeriods * period; start < end; start += period) {
      const units = this.unitsWithin(target.name, start, start + period);
      if (units.length === 0) continue;
      const total = units.reduce((sum, v) => sum + v, 0);
      const byStatistic = { Sum: total, Average: total / units.length, Maximum: Math.max(...units), Minimum: Math.min(...units) };
      values.push(byStatistic[alarm.statistic]);
    }
    return values;
  }

  async firingAlarms(names: readonly string[]): Promise<Map<string, AlarmObservation>> {
    return new Map(names.flatMap((name) => {
      const observed = this.alarms.get(name);
      return observed === undefined ? [] : [[name, observed] as const];
    }));
  }

  /** Evaluates `alarm` on what the units reported, as CloudWatch would, and keeps its state. */
  async evaluate(target: TargetConfig, name: string, alarm: AlarmDefinition, now: EpochSeconds): Promise<AlarmObservation | undefined> {
    const observed = evaluateAlarm(alarm, await this.alarmDatapoints(target, alarm, now));
    this.setAlarm(name, observed);
    return observed;
  }

  async putForecast(target: TargetConfig, forecast: Forecast, { from, until }: { readonly from: EpochSeconds; readonly until: EpochSeconds }): Promise<number> {
    const steps = forecast.point.map((_, i) => forecast.start + i * forecast.stepSeconds).filter((t) => t >= from && t < until).length;
    this.forecasts.set(target.name, [...(this.forecasts.get(target.name) ?? []), forecast]);
    return 2 * steps;
  }

  async connectionsByUnit(target: TargetConfig, units: readonly string[], now: EpochSeconds): Promise<Map<string, number>> {
    const minutes = this.byTarget.get(target.name);
    const loads = new Map(units.map((u) => [u, 0]));
    for (let minute = Math.floor(now / MINUTE) * MINUTE; minute >= now - 5 * MINUTE; minute -= MINUTE) {
      for (const [unit, connections] of minutes?.get(minute) ?? []) if (loads.get(unit) === 0) loads.set(unit, connections);
    }
    return loads;
  }

  private total(targetName: string, minute: number): number | undefined {
    const units = this.byTarget.get(targetName)?.get(minute);
    return units === undefined ? undefined : [...units.values()].reduce((sum, v) => sum + v, 0);
  }

  private unitsWithin(targetName: string, from: number, to: number): number[] {
    const merged = new Map<string, number>();
    for (let minute = Math.floor(from / MINUTE) * MINUTE; minute < to; minute += MINUTE) {
      for (const [unit, connections] of this.byTarget.get(targetName)?.get(minute) ?? []) merged.set(unit, connections);
    }
    return [...merged.values()];
  }
}
