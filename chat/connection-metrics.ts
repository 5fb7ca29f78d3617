import { PutMetricDataCommand, type CloudWatchClient, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { DEFAULT_CONNECTIONS_METRIC } from '../functions/metrics/cloudwatch';

export interface NodeIdentity {
  readonly serviceName: string;
  readonly targetKind: string;
  readonly targetName: string;
  readonly unitId: string;
}

/**
 * One node's open connections as the controller reads them (functions/metrics): by target, whose
 * minute Sum / 6 is the fleet total; by unit, so scale-in spares the busiest; and by service, for
 * dashboards across targets. High resolution keeps each 10 s datapoint, so alarms may use 10 s periods.
 */
export function connectionDatums(connections: number, at: Date, node: NodeIdentity): MetricDatum[] {
  const datum = (dimensions: [string, string][]): MetricDatum => ({
    MetricName: DEFAULT_CONNECTIONS_METRIC.name,
    Dimensions: dimensions.map(([Name, Value]) => ({ Name, Value })),
    Timestamp: at,
    Value: connections,
    Unit: 'Count',
    StorageResolution: 1,
  });
  return [
    datum([['TargetKind', node.targetKind], ['TargetName', node.targetName]]),
    datum([['TargetName', node.targetName], ['UnitId', node.unitId]]),
    datum([['ServiceName', node.serviceName]]),
  ];
}

export async function putConnections(
  cloudwatch: Pick<CloudWatchClient, 'send'>,
  connections: number,
  at: Date,
  node: NodeIdentity,
): Promise<void> {
  await cloudwatch.send(new PutMetricDataCommand({ Namespace: DEFAULT_CONNECTIONS_METRIC.namespace, MetricData: connectionDatums(connections, at, node) }));
}
