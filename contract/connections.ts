// The contract between the chat nodes and the controller: how a node reports its open connections, and
// how the controller reads them. Both sides import this module; neither spells these names itself.

/** The CloudWatch metric every chat node puts its open-connection count to. */
export const CONNECTIONS_METRIC = { namespace: 'Chat', name: 'Connections' } as const;

/**
 * The dimension sets each count is put under: by target (a minute's Sum over it gives the fleet total),
 * by unit (so a scale-in can spare the busiest units), and by service (dashboards across targets).
 */
export const CONNECTIONS_DIMENSIONS = {
  byTarget: ['TargetKind', 'TargetName'],
  byUnit: ['TargetName', 'UnitId'],
  byService: ['ServiceName'],
} as const;

/** The values a node's datapoints carry, one per dimension name of the contract. */
export interface DimensionValues {
  readonly TargetKind?: string;
  readonly TargetName?: string;
  readonly UnitId?: string;
  readonly ServiceName?: string;
}

/** One of the contract's dimension sets, filled with `values`, as CloudWatch takes it. */
export function dimensions(names: readonly (keyof DimensionValues)[], values: DimensionValues): Array<{ Name: string; Value: string }> {
  return names.map((Name) => {
    const Value = values[Name];
    if (Value === undefined) throw new Error(`no value for the dimension ${Name}`);
    return { Name, Value };
  });
}

/**
 * How often a node puts its count, in seconds: a minute's Sum over the target holds 60 / this datapoints
 * per node, so the fleet total is Sum × PUBLISH_SECONDS / 60.
 */
export const PUBLISH_SECONDS = 10;

/** The forecast the controller publishes beside the real metric, under the by-target dimensions. */
export const FORECAST_METRIC_NAMES = { point: `${CONNECTIONS_METRIC.name}Forecast`, upper: `${CONNECTIONS_METRIC.name}ForecastUpper` } as const;

/** The name policies and alarms give the open connections (the engine's default metric). */
export const CONNECTIONS = 'connections';

/**
 * The Redis keys of the nodes' heartbeats: a set of node ids, one expiring entry per node, and per target
 * and day a hash of minute -> connection-seconds held (the history a cluster without CloudWatch scales on).
 */
export const HEARTBEAT_KEYS = {
  nodes: 'chat:nodes',
  node: (nodeId: string) => `chat:node:${nodeId}`,
  minutes: (targetName: string, day: number) => `chat:minutes:${targetName}:${day}`,
  /** The forecast the controller publishes where there is no metric service: its steps, as JSON. */
  forecast: (targetName: string) => `chat:forecast:${targetName}`,
} as const;

/** A heartbeat expires after this many publish intervals without a new one. */
export const HEARTBEAT_TTL_INTERVALS = 3;
