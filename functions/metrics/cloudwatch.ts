import { DescribeAlarmsCommand, GetMetricDataCommand, PutMetricDataCommand, type CloudWatchClient, type MetricDatum, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { z } from 'zod';
import type { AlarmDefinition, AlarmObservation, EpochSeconds, Forecast, TargetConfig } from '../../core';
import { CONNECTIONS_DIMENSIONS, CONNECTIONS_METRIC, dimensions, FORECAST_METRIC_NAMES, OBSERVED_METRICS, PUBLISH_SECONDS } from '../../contract/connections';
import { AdapterError } from '../errors';
import type { MetricSource, Series } from './metric-source';
import { latestByUnit } from './unit-loads';

/** How the chat nodes publish open connections: every node, every `publishSeconds`, under the same dimensions. */
export interface ConnectionsMetric {
  readonly namespace: string;
  readonly name: string;
  readonly publishSeconds: number;
}

export const DEFAULT_CONNECTIONS_METRIC: ConnectionsMetric = { ...CONNECTIONS_METRIC, publishSeconds: PUBLISH_SECONDS };
const PERIOD = 60;
/** DescribeAlarms takes at most 100 names; PutMetricData at most 1,000 datums (we send fewer, to stay far below 1 MB). */
const MAX_ALARM_NAMES = 100;
const PUT_BATCH = 500;
/** CloudWatch accepts datapoints at most two hours ahead. */
const MAX_FUTURE_SECONDS = 2 * 3600;

/**
 * The fleet's open connections per period (a minute unless told): each unit's average over the period
 * (the by-unit dimensions of the contract, found by a search), summed over the units that reported in it.
 */
export function fleetTotalQuery(target: { readonly name: string }, metric: Pick<ConnectionsMetric, 'namespace' | 'name'> = CONNECTIONS_METRIC, id = 'connections', period = PERIOD): MetricDataQuery {
  const dimensions = CONNECTIONS_DIMENSIONS.byUnit.join(',');
  const search = `SEARCH('{${metric.namespace},${dimensions}} MetricName="${metric.name}" TargetName="${target.name}"', 'Average', ${period})`;
  return { Id: id, Expression: `SUM(${search})`, ReturnData: true };
}

/** The by-target dimensions of the contract, with this target's values. */
const targetDimensions = (target: TargetConfig) => dimensions(CONNECTIONS_DIMENSIONS.byTarget, { TargetKind: target.kind, TargetName: target.name });

/** Reads the connections metric and the alarms of the step policies from CloudWatch. */
export class CloudWatchMetrics implements MetricSource {
  readonly metrics = OBSERVED_METRICS;

  constructor(
    private readonly cloudwatch: Pick<CloudWatchClient, 'send'>,
    private readonly metric: ConnectionsMetric = DEFAULT_CONNECTIONS_METRIC,
  ) {}

  /**
   * The fleet's open connections now. Given the units the platform runs, each one's newest minute,
   * read by name and summed: a unit counts from its first datapoint, where a search may not list a new
   * metric for minutes (just after a scale-out, when a short count would invite a scale-in). Without
   * units, the search's newest complete minute of the last five.
   */
  async latest(target: TargetConfig, metric: string, now: EpochSeconds, units: readonly string[] = []): Promise<number> {
    if (metric !== 'connections') throw new AdapterError(`CloudWatch metric source reads only ${this.metrics.join(', ')}, not ${JSON.stringify(metric)}`);
    if (units.length > 0) {
      const byUnit = await latestByUnit(this.cloudwatch, this.metric, target, units, now, 'Average');
      // No running unit reported at all: the metric is missing, not the load (never read that as zero).
      if (byUnit.size === 0) throw new AdapterError(`no ${this.metric.namespace}/${this.metric.name} datapoint from any of the ${units.length} running unit(s) of target ${target.name} in the last 5 minutes`);
      return [...byUnit.values()].reduce((sum, v) => sum + v, 0);
    }
    const end = Math.floor(now / PERIOD) * PERIOD;
    const series = await this.history(target, end - 5 * PERIOD, end);
    const last = series.values.length - 1;
    if (last < 0) throw new AdapterError(`no ${this.metric.namespace}/${this.metric.name} datapoint for target ${target.name} in the last 5 minutes`);
    return series.values[last]!;
  }

  /**
   * Fleet totals per minute between `from` and `to`, oldest first, following every page. A minute's total
   * is the sum over the units of each one's average in it, so a minute whose last datapoints are not yet
   * ingested still counts every unit in full (a by-target Sum ÷ 6 would count a third of it short when
   * its last 20 s are missing, and a unit that started mid-minute short too).
   */
  async history(target: TargetConfig, from: EpochSeconds, to: EpochSeconds): Promise<Series> {
    const points = new Map<number, number>();
    let NextToken: string | undefined;
    do {
      const out = await this.cloudwatch.send(
        new GetMetricDataCommand({
          MetricDataQueries: [fleetTotalQuery(target, this.metric)],
          StartTime: new Date(from * 1000),
          EndTime: new Date(to * 1000),
          ScanBy: 'TimestampAscending',
          NextToken,
        }),
      );
      for (const result of out.MetricDataResults ?? []) {
        result.Timestamps?.forEach((time, i) => {
          const total = result.Values?.[i];
          if (total !== undefined && Number.isFinite(total)) points.set(time.getTime() / 1000, total);
        });
      }
      NextToken = out.NextToken;
    } while (NextToken);
    const times = [...points.keys()].sort((a, b) => a - b);
    return { times, values: times.map((t) => points.get(t)!) };
  }

  /**
   * The history on a regular grid of minutes from `from` to `to`, NaN where a minute has no datapoint,
   * as the forecaster takes it.
   */
  async grid(target: TargetConfig, from: EpochSeconds, to: EpochSeconds): Promise<Series> {
    const start = Math.floor(from / PERIOD) * PERIOD;
    const end = Math.floor(to / PERIOD) * PERIOD;
    const series = await this.history(target, start, end);
    const byTime = new Map(series.times.map((t, i) => [t, series.values[i]!]));
    const times: number[] = [];
    const values: number[] = [];
    for (let t = start; t < end; t += PERIOD) {
      times.push(t);
      values.push(byTime.get(t) ?? NaN);
    }
    return { times, values };
  }

  /**
   * Publishes a forecast beside the real metric (ConnectionsForecast and ConnectionsForecastUpper), the
   * steps from `from` until `until` (at most two hours ahead, as CloudWatch accepts), in batches.
   * Returns how many datapoints were sent.
   */
  async putForecast(target: TargetConfig, forecast: Forecast, { from, until }: { readonly from: EpochSeconds; readonly until: EpochSeconds }): Promise<number> {
    const dimensions = targetDimensions(target);
    const data: MetricDatum[] = [];
    forecast.point.forEach((point, i) => {
      const time = forecast.start + i * forecast.stepSeconds;
      if (time < from || time >= Math.min(until, from + MAX_FUTURE_SECONDS)) return;
      const Timestamp = new Date(time * 1000);
      data.push({ MetricName: FORECAST_METRIC_NAMES.point, Dimensions: dimensions, Timestamp, Value: point, Unit: 'Count' });
      data.push({ MetricName: FORECAST_METRIC_NAMES.upper, Dimensions: dimensions, Timestamp, Value: forecast.upper[i]!, Unit: 'Count' });
    });
    for (let i = 0; i < data.length; i += PUT_BATCH) {
      await this.cloudwatch.send(new PutMetricDataCommand({ Namespace: this.metric.namespace, MetricData: data.slice(i, i + PUT_BATCH) }));
    }
    return data.length;
  }

  /**
   * The datapoints an alarm evaluates, read from the metric itself: the last `evaluationPeriods`
   * periods before `now`, with the alarm's statistic (a Sum is turned into the fleet total, as the
   * alarm definition means it).
   */
  async alarmDatapoints(target: TargetConfig, alarm: AlarmDefinition, now: EpochSeconds): Promise<number[]> {
    const period = alarm.periodSeconds;
    const end = Math.floor(now / period) * period;
    const metric = { Namespace: this.metric.namespace, MetricName: this.metric.name, Dimensions: targetDimensions(target) };
    const out = await this.cloudwatch.send(
      new GetMetricDataCommand({
        MetricDataQueries: [{ Id: 'connections', MetricStat: { Metric: metric, Period: period, Stat: alarm.statistic }, ReturnData: true }],
        StartTime: new Date((end - alarm.evaluationPeriods * period) * 1000),
        EndTime: new Date(end * 1000),
        ScanBy: 'TimestampAscending',
      }),
    );
    const values = out.MetricDataResults?.[0]?.Values ?? [];
    return values.map((v) => (alarm.statistic === 'Sum' ? (v * this.metric.publishSeconds) / period : v)).filter(Number.isFinite);
  }

  /** The named alarms now in ALARM, with the datapoints and threshold their step policies act on. */
  async firingAlarms(names: readonly string[]): Promise<Map<string, AlarmObservation>> {
    const firing = new Map<string, AlarmObservation>();
    for (let i = 0; i < names.length; i += MAX_ALARM_NAMES) {
      let NextToken: string | undefined;
      do {
        const out = await this.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: names.slice(i, i + MAX_ALARM_NAMES), StateValue: 'ALARM', NextToken }));
        for (const alarm of out.MetricAlarms ?? []) {
          if (alarm.AlarmName === undefined) continue;
          const observed = alarmObservation(alarm.StateReasonData, alarm.Threshold);
          if (observed !== undefined) firing.set(alarm.AlarmName, observed);
        }
        NextToken = out.NextToken;
      } while (NextToken);
    }
    return firing;
  }
}

/** CloudWatch's StateReasonData (a JSON string); AWS adds fields over time, so unknown ones are allowed. */
const reasonDataSchema = z.looseObject({
  recentDatapoints: z.array(z.number()).optional(),
  threshold: z.number().optional(),
});

/** The datapoints and threshold in an alarm's reason data, or undefined when it carries none. */
export function alarmObservation(reasonData: string | undefined, threshold: number | undefined): AlarmObservation | undefined {
  let parsed: z.output<typeof reasonDataSchema> = {};
  if (reasonData !== undefined) {
    try {
      const result = reasonDataSchema.safeParse(JSON.parse(reasonData));
      if (result.success) parsed = result.data;
    } catch {
      // Reason data that is not JSON carries no datapoints; the caller falls back to GetMetricData.
    }
  }
  const datapoints = (parsed.recentDatapoints ?? []).filter(Number.isFinite);
  const limit = parsed.threshold ?? threshold;
  if (datapoints.length === 0 || limit === undefined) return undefined;
  return { threshold: limit, datapoints: datapoints.map((value) => ({ value })) };
}
