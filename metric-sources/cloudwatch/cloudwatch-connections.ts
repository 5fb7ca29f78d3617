import { GetMetricDataCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { EpochSeconds, TargetConfig } from '../../core';
import { AdapterError, type MetricReader, type Series } from '../../controller';
import { DEFAULT_CONNECTIONS_METRIC, fleetTotalQuery, PERIOD, type ConnectionsMetric } from './connections-metric';
import { latestByUnit } from './unit-loads';

/** The open connections the chat nodes publish, read from CloudWatch: the fleet's latest total and its history. */
export class CloudWatchConnections implements MetricReader {
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
  async latest(target: TargetConfig, now: EpochSeconds, units: readonly string[] = []): Promise<number> {
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
}
