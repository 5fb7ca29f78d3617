// The metric sources: where the controller reads what the chat nodes report. One folder each, one line
// in the list; a configuration's `metricSource` names one, CloudWatch by default.
import type { z } from 'zod';
import { ConfigError, formatPath, schemaProblems, type ConfigProblem, type MetricSourceConfig } from '../core';
import { cloudwatch } from './cloudwatch';
import { redisHeartbeat } from './redis-heartbeat';
import type { MetricSeams, MetricSource, SourceClients } from './source';

/** Every metric source: one line each. */
export const METRIC_SOURCES: readonly MetricSource[] = [cloudwatch, redisHeartbeat];

/** The source a configuration without `metricSource` reads. */
export const DEFAULT_METRIC_SOURCE: MetricSourceConfig = { type: cloudwatch.name };

const named = (name: string): MetricSource | undefined => METRIC_SOURCES.find((s) => s.name === name);

/**
 * The configured source (the default where none is), if `allowed` in this deployment and its options are
 * its own; otherwise every problem, under `path`.
 */
export function metricSourceOf(config: MetricSourceConfig | undefined, allowed: readonly string[], path: PropertyKey[] = ['metricSource']): MetricSource | ConfigProblem[] {
  const type = (config ?? DEFAULT_METRIC_SOURCE).type;
  const source = named(type);
  if (source === undefined || !allowed.includes(type)) {
    const message = source === undefined ? `unknown metric source; expected one of ${allowed.join(', ')}` : `this deployment reads only ${allowed.join(' or ')}`;
    return [{ path: formatPath([...path, 'type']), message, received: type }];
  }
  const problems = schemaProblems(source.options, optionsOf(config), path);
  return problems.length > 0 ? problems : source;
}

/** The metric seams of the configured source, on `clients`; an invalid source is a ConfigError. */
export function connectMetricSource(config: MetricSourceConfig | undefined, allowed: readonly string[], clients: SourceClients): MetricSeams {
  const source = metricSourceOf(config, allowed);
  if (Array.isArray(source)) throw new ConfigError('metric source', source);
  return source.connect((source.options as z.ZodType).parse(optionsOf(config)), clients);
}

/** What the configuration's `metricSource` carries beside its type. */
const optionsOf = (config: MetricSourceConfig | undefined) => Object.fromEntries(Object.entries(config ?? {}).filter(([key]) => key !== 'type'));

/** The IAM actions reading from the `allowed` sources needs. */
export const metricReadActions = (allowed: readonly string[] = [cloudwatch.name]): string[] => [
  ...new Set(METRIC_SOURCES.filter((s) => allowed.includes(s.name)).flatMap((s) => s.readActions)),
];

export type { MetricSeams, MetricSource, SourceClients } from './source';
export { cloudwatch, redisHeartbeat };
export * from './cloudwatch';
export { HeartbeatConnections } from './redis-heartbeat';
