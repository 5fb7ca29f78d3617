import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { describe, expect, it } from 'vitest';
import { AdapterError, parseDeployableConfig, readerOf } from '../controller';
import { CloudWatchConnections } from './cloudwatch-connections';
import { AWS_DEPLOYMENT } from './deployment';
import { METRIC_NAMES, metricReadActions, metricReaders } from './metric-sources';

describe('the metric sources of a deployment', () => {
  const readers = metricReaders({ cloudwatch: new CloudWatchClient({}) });

  it('read each metric a policy may name, by that name, and need only their own read actions', () => {
    expect(METRIC_NAMES).toEqual(['connections']);
    expect(readerOf(readers, 'connections')).toBeInstanceOf(CloudWatchConnections);
    expect(metricReadActions()).toEqual(['cloudwatch:GetMetricData']);
  });

  it('refuse a metric no source reads, naming those that are', () => {
    expect(() => readerOf(readers, 'cpu')).toThrow(AdapterError);
    expect(() => readerOf(readers, 'cpu')).toThrow('no metric source reads "cpu"; known: connections');
    expect(() => readerOf(readers, 'toString')).toThrow('no metric source reads "toString"');
  });

  it('are what the deployable configuration accepts', () => {
    const config = (metric: string) => ({ targets: [{ name: 'chat', kind: 'ecs-service', resource: { cluster: 'c', service: 's' }, minCapacity: 1, maxCapacity: 9, policies: [{ type: 'target-tracking', name: 'tt', metric, targetPerUnit: 70 }] }] });
    expect(parseDeployableConfig(config('connections'), AWS_DEPLOYMENT).targets).toHaveLength(1);
    expect(() => parseDeployableConfig(config('cpu'), AWS_DEPLOYMENT)).toThrow('targets[0].policies[0].metric: the chat nodes publish only connections, so the controller cannot observe this metric (received: "cpu")');
  });
});
