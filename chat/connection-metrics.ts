import { PutMetricDataCommand, type CloudWatchClient, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { CONNECTIONS_DIMENSIONS, CONNECTIONS_METRIC, dimensions, type DimensionValues } from '../contract/connections';

export interface NodeIdentity {
  readonly serviceName: string;
  readonly targetKind: string;
  readonly targetName: string;
  readonly unitId: string;
}

/**
 * One node's open connections as the controller reads them (functions/metrics): by target, what alarms
 * watch; by unit, whose minute averages sum to the fleet total and let scale-in spare the busiest; and
 * by service, for dashboards across targets. High resolution keeps each 10 s datapoint, so alarms may use 10 s periods.
 */
export function connectionDatums(connections: number, at: Date, node: NodeIdentity): MetricDatum[] {
  const values = { TargetKind: node.targetKind, TargetName: node.targetName, UnitId: node.unitId, ServiceName: node.serviceName };
  const datum = (names: readonly (keyof DimensionValues)[]): MetricDatum => ({
    MetricName: CONNECTIONS_METRIC.name,
    Dimensions: dimensions(names, values),
    Timestamp: at,
    Value: connections,
    Unit: 'Count',
    StorageResolution: 1,
  });
  return [datum(CONNECTIONS_DIMENSIONS.byTarget), datum(CONNECTIONS_DIMENSIONS.byUnit), datum(CONNECTIONS_DIMENSIONS.byService)];
}

export async function putConnections(
  cloudwatch: Pick<CloudWatchClient, 'send'>,
  connections: number,
  at: Date,
  node: NodeIdentity,
): Promise<void> {
  await cloudwatch.send(new PutMetricDataCommand({ Namespace: CONNECTIONS_METRIC.namespace, MetricData: connectionDatums(connections, at, node) }));
}
