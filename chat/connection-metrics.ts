import { CONNECTIONS_DIMENSIONS, CONNECTIONS_METRIC, type DimensionValues } from '../contract/connections';

export interface NodeIdentity {
  readonly serviceName: string;
  readonly targetKind: string;
  readonly targetName: string;
  readonly unitId: string;
}

/** Where a node writes its metric records: its standard output, which the platform ships to CloudWatch Logs. */
export type MetricsOut = (line: string) => void;
export const standardOutput: MetricsOut = (line) => void process.stdout.write(`${line}\n`);

/**
 * One node's open connections as the controller reads them (functions/metrics), as one CloudWatch embedded
 * metric format record: by target, what alarms watch; by unit, whose minute averages sum to the fleet
 * total and let scale-in spare the busiest; and by service, for dashboards across targets. High resolution
 * keeps each 10 s datapoint, so alarms may use 10 s periods.
 *
 * CloudWatch Logs turns the record into the same metrics PutMetricData would put, from the node's log
 * stream (awslogs on Fargate and on the instances): no API call, no permission, and no charge per request,
 * which at one request per node every 10 s would cost about $2.59 a month per node.
 */
export function connectionsRecord(connections: number, at: Date, node: NodeIdentity): string {
  const values: Required<DimensionValues> = { TargetKind: node.targetKind, TargetName: node.targetName, UnitId: node.unitId, ServiceName: node.serviceName };
  return JSON.stringify({
    _aws: {
      Timestamp: at.getTime(),
      CloudWatchMetrics: [
        {
          Namespace: CONNECTIONS_METRIC.namespace,
          Dimensions: [CONNECTIONS_DIMENSIONS.byTarget, CONNECTIONS_DIMENSIONS.byUnit, CONNECTIONS_DIMENSIONS.byService],
          Metrics: [{ Name: CONNECTIONS_METRIC.name, Unit: 'Count', StorageResolution: 1 }],
        },
      ],
    },
    ...values,
    [CONNECTIONS_METRIC.name]: connections,
  });
}

/** The metrics (namespace, name, dimensions and their values) a record stands for, as CloudWatch extracts them. */
export function metricsOfRecord(line: string): string[] {
  const record = JSON.parse(line) as Record<string, unknown> & { _aws: { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string }> }> } };
  return record._aws.CloudWatchMetrics.flatMap((d) => d.Dimensions.flatMap((dims) => d.Metrics.map((m) => `${d.Namespace}/${m.Name} ${dims.map((k) => `${k}=${String(record[k])}`).join(',')}`)));
}
