import type { MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { TargetConfig } from '../../core';
import { CONNECTIONS_DIMENSIONS, CONNECTIONS_METRIC, dimensions, PUBLISH_SECONDS } from '../../contract/connections';

/** How the chat nodes publish open connections: every node, every `publishSeconds`, under the same dimensions. */
export interface ConnectionsMetric {
  readonly namespace: string;
  readonly name: string;
  readonly publishSeconds: number;
}

export const DEFAULT_CONNECTIONS_METRIC: ConnectionsMetric = { ...CONNECTIONS_METRIC, publishSeconds: PUBLISH_SECONDS };
export const PERIOD = 60;

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
export const targetDimensions = (target: TargetConfig) => dimensions(CONNECTIONS_DIMENSIONS.byTarget, { TargetKind: target.kind, TargetName: target.name });
