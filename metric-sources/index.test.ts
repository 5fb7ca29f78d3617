import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { AWS_DEPLOYMENT } from '../aws';
import { AdapterError, parseDeployableConfig, readerOf, type Deployment } from '../controller';
import { targetProblemsWhere } from '../kinds';
import { CloudWatchConnections, connectMetricSource, HeartbeatConnections, metricReadActions, metricSourceOf } from '.';

const both = ['cloudwatch', 'redis-heartbeat'];
const anywhere: Deployment = { targetProblems: targetProblemsWhere(() => true), metricSource: (config) => metricSourceOf(config, both) };
const config = (policy: Record<string, unknown>, metricSource?: Record<string, unknown>) => ({
  ...(metricSource === undefined ? {} : { metricSource }),
  targets: [{ name: 'chat', kind: 'ecs-service', resource: { cluster: 'c', service: 's' }, minCapacity: 1, maxCapacity: 9, policies: [policy] }],
});
const tracking = (metric = 'connections') => ({ type: 'target-tracking', name: 'tt', metric, targetPerUnit: 70 });
const step = { type: 'ecs-step', name: 'surge', AdjustmentType: 'ChangeInCapacity', StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }], alarm: { comparison: 'GreaterThanOrEqualToThreshold', threshold: 100 } };
const clients = { cloudwatch: () => new CloudWatchClient({}), redis: () => ({}) as Redis };

describe('the metric sources', () => {
  it('read CloudWatch by default, each metric by the name policies give it, with only its own read actions', () => {
    const seams = connectMetricSource(undefined, both, clients);
    expect(readerOf(seams.metrics, 'connections')).toBeInstanceOf(CloudWatchConnections);
    expect(metricReadActions()).toEqual(['cloudwatch:GetMetricData']);
    expect(metricReadActions(['redis-heartbeat'])).toEqual([]);
  });

  it('read the Redis heartbeats where the configuration names them, with the URL it gives', () => {
    const urls: Array<string | undefined> = [];
    const seams = connectMetricSource({ type: 'redis-heartbeat', url: 'redis://r:6379' }, both, { ...clients, redis: (url) => (urls.push(url), {} as Redis) });
    expect(readerOf(seams.metrics, 'connections')).toBeInstanceOf(HeartbeatConnections);
    expect(urls).toEqual(['redis://r:6379']);
  });

  it('refuse a metric no source reads, naming those that are', () => {
    const { metrics } = connectMetricSource(undefined, both, clients);
    expect(() => readerOf(metrics, 'cpu')).toThrow(AdapterError);
    expect(() => readerOf(metrics, 'cpu')).toThrow('no metric source reads "cpu"; known: connections');
    expect(() => readerOf(metrics, 'toString')).toThrow('no metric source reads "toString"');
  });

  it.each([
    ['a metric no source reads', config(tracking('cpu')), AWS_DEPLOYMENT, 'targets[0].policies[0].metric: the chat nodes publish only connections, so the controller cannot observe this metric (received: "cpu")'],
    ['an unknown source', config(tracking(), { type: 'prometheus' }), anywhere, 'metricSource.type: unknown metric source; expected one of cloudwatch, redis-heartbeat (received: "prometheus")'],
    ['a source the deployment cannot reach', config(tracking(), { type: 'redis-heartbeat' }), AWS_DEPLOYMENT, 'metricSource.type: this deployment reads only cloudwatch (received: "redis-heartbeat")'],
    ['an option the source does not take', config(tracking(), { type: 'redis-heartbeat', host: 'r' }), anywhere, 'metricSource.host: unknown key (received: "r")'],
    ['a malformed URL', config(tracking(), { type: 'redis-heartbeat', url: 'http://r' }), anywhere, 'metricSource.url: must be a redis:// or rediss:// URL (received: "http://r")'],
    ['an alarm on a source without alarms', config(step, { type: 'redis-heartbeat' }), anywhere, 'targets[0].policies[0].type: the redis-heartbeat metric source evaluates no alarms'],
  ])('refuse %s, saying where', (_what, input, deployment, message) => {
    expect(() => parseDeployableConfig(input, deployment)).toThrow(message);
  });

  it('accept what each source reads', () => {
    expect(parseDeployableConfig(config(tracking()), AWS_DEPLOYMENT).targets).toHaveLength(1);
    expect(parseDeployableConfig(config(step), AWS_DEPLOYMENT).targets).toHaveLength(1);
    expect(parseDeployableConfig(config(tracking(), { type: 'redis-heartbeat' }), anywhere).metricSource).toEqual({ type: 'redis-heartbeat' });
  });
});
