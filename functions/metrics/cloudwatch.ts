import { DescribeAlarmsCommand, GetMetricDataCommand, type CloudWatchClient, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { z } from 'zod';
import type { AlarmObservation, EpochSeconds, TargetConfig } from '../../core';
import { AdapterError } from '../errors';

/**
 * How the chat nodes publish open connections: every node puts its own count every `publishSeconds`
 * under the same dimensions, so a minute's Sum holds (60 / publishSeconds) datapoints per node.
 */
export interface ConnectionsMetric {
  readonly namespace: string;
  readonly name: string;
  readonly publishSeconds: number;
}

export const DEFAULT_CONNECTIONS_METRIC: ConnectionsMetric = { namespace: 'Chat', name: 'Connections', publishSeconds: 10 };
const PERIOD = 60;
/** GetMetricData takes at most 500 queries per call; DescribeAlarms at most 100 names. */
const MAX_ALARM_NAMES = 100;

export function connectionsQuery(target: TargetConfig, metric: ConnectionsMetric, id = 'connections'): MetricDataQuery {
  return {
    Id: id,
    MetricStat: {
      Metric: {
        Namespace: metric.namespace,
        MetricName: metric.name,
        Dimensions: [
          { Name: 'TargetKind', Value: target.kind },
          { Name: 'TargetName', Value: target.name },
        ],
      },
      Period: PERIOD,
      Stat: 'Sum',
    },
    ReturnData: true,
  };
}

/** Reads the connections metric and the alarms of the step policies from CloudWatch. */
export class CloudWatchMetrics {
  constructor(
    private readonly cloudwatch: Pick<CloudWatchClient, 'send'>,
    private readonly metric: ConnectionsMetric = DEFAULT_CONNECTIONS_METRIC,
  ) {}

  /** The fleet's open connections in the newest complete minute of the last five. */
  async latestConnections(target: TargetConfig, now: EpochSeconds): Promise<number> {
    const end = Math.floor(now / PERIOD) * PERIOD;
    const series = await this.history(target, end - 5 * PERIOD, end);
    const last = series.values.length - 1;
    if (last < 0) throw new AdapterError(`no ${this.metric.namespace}/${this.metric.name} datapoint for target ${target.name} in the last 5 minutes`);
    return series.values[last]!;
  }

  /** Fleet totals per minute between `from` and `to`, oldest first, following every page. */
  async history(target: TargetConfig, from: EpochSeconds, to: EpochSeconds): Promise<{ times: number[]; values: number[] }> {
    const points = new Map<number, number>();
    let NextToken: string | undefined;
    do {
      const out = await this.cloudwatch.send(
        new GetMetricDataCommand({
          MetricDataQueries: [connectionsQuery(target, this.metric)],
          StartTime: new Date(from * 1000),
          EndTime: new Date(to * 1000),
          ScanBy: 'TimestampAscending',
          NextToken,
        }),
      );
      for (const result of out.MetricDataResults ?? []) {
        result.Timestamps?.forEach((time, i) => {
          const sum = result.Values?.[i];
          if (sum !== undefined && Number.isFinite(sum)) points.set(time.getTime() / 1000, (sum * this.metric.publishSeconds) / PERIOD);
        });
      }
      NextToken = out.NextToken;
    } while (NextToken);
    const times = [...points.keys()].sort((a, b) => a - b);
    return { times, values: times.map((t) => points.get(t)!) };
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
