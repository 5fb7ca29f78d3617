import { GetMetricDataCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { EpochSeconds, TargetConfig } from '../../core';
import { CONNECTIONS_DIMENSIONS, dimensions } from '../../contract/connections';
import { DEFAULT_CONNECTIONS_METRIC, PERIOD, type ConnectionsMetric } from './connections-metric';
import type { UnitLoads } from '../../controller';

/** GetMetricData takes at most 500 queries per call. */
export const MAX_QUERIES = 500;

/**
 * Each named unit's newest per-minute `stat` of its own count (dimensions `TargetName` and `UnitId`) in
 * the five minutes before `now`, read by name, 500 units a call. A unit counts from its first datapoint:
 * no listing or search stands between a new unit and the read. A unit with no datapoint is left out.
 */
export async function latestByUnit(
  cloudwatch: Pick<CloudWatchClient, 'send'>,
  metric: Pick<ConnectionsMetric, 'namespace' | 'name'>,
  target: { readonly name: string },
  units: readonly string[],
  now: EpochSeconds,
  stat: 'Average' | 'Maximum',
): Promise<Map<string, number>> {
  const latest = new Map<string, number>();
  const end = Math.floor(now / PERIOD) * PERIOD;
  for (let i = 0; i < units.length; i += MAX_QUERIES) {
    const batch = units.slice(i, i + MAX_QUERIES);
    let NextToken: string | undefined;
    do {
      const out = await cloudwatch.send(
        new GetMetricDataCommand({
          MetricDataQueries: batch.map((unit, k) => ({
            Id: `u${k}`,
            MetricStat: { Metric: { Namespace: metric.namespace, MetricName: metric.name, Dimensions: dimensions(CONNECTIONS_DIMENSIONS.byUnit, { TargetName: target.name, UnitId: unit }) }, Period: PERIOD, Stat: stat },
            ReturnData: true,
          })),
          StartTime: new Date((end - 5 * PERIOD) * 1000),
          // The minute in progress counts too: a unit that started in it has no other datapoint.
          EndTime: new Date((end + PERIOD) * 1000),
          ScanBy: 'TimestampDescending',
          NextToken,
        }),
      );
      for (const result of out.MetricDataResults ?? []) {
        const unit = batch[Number(result.Id?.slice(1))];
        const newest = result.Values?.find(Number.isFinite);
        if (unit !== undefined && newest !== undefined && !latest.has(unit)) latest.set(unit, newest);
      }
      NextToken = out.NextToken;
    } while (NextToken);
  }
  return latest;
}

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
    const found = await latestByUnit(this.cloudwatch, this.metric, target, units, now, 'Maximum');
    return new Map(units.map((u) => [u, found.get(u) ?? 0]));
  }
}
