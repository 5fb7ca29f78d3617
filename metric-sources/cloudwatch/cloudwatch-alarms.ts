import { DescribeAlarmsCommand, GetMetricDataCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { AlarmDefinition, AlarmObservation, EpochSeconds, TargetConfig } from '../../core';
import { alarmObservation, type AlarmReader } from '../../controller';
import { DEFAULT_CONNECTIONS_METRIC, targetDimensions, type ConnectionsMetric } from './connections-metric';

/** DescribeAlarms takes at most 100 names. */
const MAX_ALARM_NAMES = 100;

/** Reads the step policies' alarms from CloudWatch: their state, and the datapoints they evaluate. */
export class CloudWatchAlarms implements AlarmReader {
  constructor(
    private readonly cloudwatch: Pick<CloudWatchClient, 'send'>,
    private readonly metric: ConnectionsMetric = DEFAULT_CONNECTIONS_METRIC,
  ) {}

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
