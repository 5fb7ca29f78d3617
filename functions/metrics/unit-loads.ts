import { GetMetricDataCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { EpochSeconds, TargetConfig } from '../../core';
import { CONNECTIONS_DIMENSIONS, dimensions } from '../../contract/connections';
import { DEFAULT_CONNECTIONS_METRIC, type ConnectionsMetric } from './cloudwatch';
import type { UnitLoads } from './metric-source';

/** GetMetricData takes at most 500 queries per call. */
const MAX_QUERIES = 500;

/**
 * Per-unit connections from CloudWatch: each chat node also puts its count with the dimensions
 * `TargetName` and `UnitId` (its task or instance id). A unit with no datapoint counts as empty.
 */
export class CloudWatchUnitLoads implements UnitLoads {
  constructor(
    private readonly cloudwatch: Pick<CloudWatchClient, 'send'>,
    private readonly metric: ConnectionsMetric = DEFAULT_CONNECTIONS_METRIC,
  ) {}

  async connectionsByUnit(target: TargetConfig, units: readonly string[], now: EpochSeconds): Promise<Map<string, number>> {
    const loads = new Map(units.map((u) => [u, 0]));
    for (let i = 0; i < units.length; i += MAX_QUERIES) {
      const batch = units.slice(i, i + MAX_QUERIES);
      const out = await this.cloudwatch.send(
        new GetMetricDataCommand({
          MetricDataQueries: batch.map((unit, k) => ({
            Id: `u${k}`,
            MetricStat: {
              Metric: { Namespace: this.metric.namespace, MetricName: this.metric.name, Dimensions: dimensions(CONNECTIONS_DIMENSIONS.byUnit, { TargetName: target.name, UnitId: unit }) },
              Period: 60,
              Stat: 'Maximum',
            },
          })),
          StartTime: new Date((now - 300) * 1000),
          EndTime: new Date(now * 1000),
          ScanBy: 'TimestampDescending',
        }),
      );
      for (const result of out.MetricDataResults ?? []) {
        const unit = batch[Number(result.Id?.slice(1))];
        const latest = result.Values?.[0];
        if (unit !== undefined && latest !== undefined) loads.set(unit, latest);
      }
    }
    return loads;
  }
}
