import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CONNECTIONS } from '../contract/connections';
import type { MetricReader, MetricReaders } from '../controller';
import { CloudWatchConnections } from './cloudwatch-connections';

/** The clients a metric source may read with. */
export interface MetricClients {
  readonly cloudwatch: Pick<CloudWatchClient, 'send'>;
}

interface MetricSource {
  read(clients: MetricClients): MetricReader;
  /** The IAM actions its reads need (on `*`: metric reads cannot be scoped to a resource). */
  readonly actions: readonly string[];
}

/** Every metric the deployed controller reads, by the name policies and alarms give it: one line each. */
const METRIC_SOURCES: Readonly<Record<string, MetricSource>> = {
  [CONNECTIONS]: { read: ({ cloudwatch }) => new CloudWatchConnections(cloudwatch), actions: ['cloudwatch:GetMetricData'] },
};

/** The metric names a policy or an alarm may read in a deployment. */
export const METRIC_NAMES: readonly string[] = Object.keys(METRIC_SOURCES);

/** A reader for every metric source, on the given clients. */
export const metricReaders = (clients: MetricClients): MetricReaders =>
  Object.fromEntries(Object.entries(METRIC_SOURCES).map(([name, source]) => [name, source.read(clients)]));

/** The IAM actions that reading every metric source needs. */
export const metricReadActions = (): string[] => [...new Set(Object.values(METRIC_SOURCES).flatMap((s) => s.actions))];
