import { ApplicationAutoScalingClient, DescribeScalableTargetsCommand } from '@aws-sdk/client-application-auto-scaling';
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeServicesCommand, ECSClient, ListTasksCommand } from '@aws-sdk/client-ecs';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, decide, emptyState, parseTargetConfig } from '../core';
import { AdapterError, StateConflictError } from '../controller';
import { alarmObservation } from '../controller';
import { CloudWatchAlarms } from './cloudwatch-alarms';
import { CloudWatchConnections } from './cloudwatch-connections';
import { DynamoStateStore } from './dynamo-state-store';
import { scalingTargetFor } from '../kinds';

const ecs = mockClient(ECSClient);
const scalableTargets = mockClient(ApplicationAutoScalingClient);
const autoscaling = mockClient(AutoScalingClient);
const cloudwatch = mockClient(CloudWatchClient);
const db = mockClient(DynamoDBDocumentClient);
afterEach(() => [ecs, scalableTargets, autoscaling, cloudwatch, db].forEach((m) => m.reset()));
const clients = { ecs: new ECSClient({}), applicationAutoScaling: new ApplicationAutoScalingClient({}), autoscaling: new AutoScalingClient({}) };
const target = (kind: string, resource: Record<string, string>) =>
  parseTargetConfig({ name: 'chat', kind, resource, minCapacity: 1, maxCapacity: 9, policies: [{ type: 'target-tracking', name: 'tt', targetPerUnit: 700 }] });

describe('scaling target registry', () => {
  it('fails loudly on a kind without an adapter, naming the known ones', () => {
    expect(() => scalingTargetFor(target('local-fleet', {}), clients)).toThrow(ConfigError);
    expect(() => scalingTargetFor(target('local-fleet', {}), clients)).toThrow('Invalid target chat: 1 problem(s)\n  - kind: no scaling target adapter for kind "local-fleet"; known kinds: ecs-service, ec2-asg');
  });

  it("checks each kind's resource strictly, listing every problem", () => {
    expect(() => scalingTargetFor(target('ecs-service', { cluster: 'c', serviceName: 's' }), clients)).toThrow(ConfigError);
    expect(() => scalingTargetFor(target('ecs-service', { cluster: 'c', serviceName: 's' }), clients)).toThrow(/service: Invalid input.*\n.*serviceName: unknown key/);
  });

  it('reports an ECS service that does not exist, with the failure ECS gave', async () => {
    ecs.on(DescribeServicesCommand).resolves({ services: [], failures: [{ arn: 'arn:aws:ecs:us-east-1:1:service/c/s', reason: 'MISSING' }] });
    await expect(scalingTargetFor(target('ecs-service', { cluster: 'c', service: 's' }), clients).describe()).rejects.toThrow(
      'ECS service s not found in cluster c (arn:aws:ecs:us-east-1:1:service/c/s: MISSING)',
    );
  });

  it('reads the ASG with its own limits', async () => {
    autoscaling.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [{ AutoScalingGroupName: 'asg', DesiredCapacity: 3, MinSize: 1, MaxSize: 8, DefaultCooldown: 300, AvailabilityZones: ['us-east-1a'], HealthCheckType: 'EC2', CreatedTime: new Date(0) }] });
    expect(await scalingTargetFor(target('ec2-asg', { autoScalingGroupName: 'asg' }), clients).describe()).toEqual({ desired: 3, min: 1, max: 8 });
    expect(autoscaling.commandCalls(DescribeAutoScalingGroupsCommand)[0]!.args[0].input).toEqual({ AutoScalingGroupNames: ['asg'] });
  });
});

describe('platform limits', () => {
  it("reads an ECS service's scalable-target limits where it is registered with Application Auto Scaling", async () => {
    ecs.on(DescribeServicesCommand).resolves({ services: [{ serviceName: 's', desiredCount: 4, runningCount: 4 }] });
    scalableTargets.on(DescribeScalableTargetsCommand).resolves({ ScalableTargets: [{ ServiceNamespace: 'ecs', ResourceId: 'service/c/s', ScalableDimension: 'ecs:service:DesiredCount', MinCapacity: 2, MaxCapacity: 12, RoleARN: 'r', CreationTime: new Date(0) }] });
    expect(await scalingTargetFor(target('ecs-service', { cluster: 'c', service: 's' }), clients).describe()).toEqual({ desired: 4, running: 4, min: 2, max: 12 });
    expect(scalableTargets.commandCalls(DescribeScalableTargetsCommand)[0]!.args[0].input).toEqual({ ServiceNamespace: 'ecs', ScalableDimension: 'ecs:service:DesiredCount', ResourceIds: ['service/c/s'] });
  });

  it('an unregistered ECS service has no platform limits', async () => {
    ecs.on(DescribeServicesCommand).resolves({ services: [{ serviceName: 's', desiredCount: 4 }] });
    scalableTargets.on(DescribeScalableTargetsCommand).resolves({ ScalableTargets: [] });
    expect(await scalingTargetFor(target('ecs-service', { cluster: 'c', service: 's' }), clients).describe()).toEqual({ desired: 4 });
  });
});

describe('CloudWatch metrics', () => {
  const metrics = new CloudWatchConnections(new CloudWatchClient({}));
  const alarms = new CloudWatchAlarms(new CloudWatchClient({}));
  const ecsTarget = target('ecs-service', { cluster: 'c', service: 's' });

  it("reads the fleet total as the sum of the units' minute averages, following every page", async () => {
    cloudwatch
      .on(GetMetricDataCommand)
      .resolvesOnce({ MetricDataResults: [{ Id: 'connections', Timestamps: [new Date(60_000)], Values: [100] }], NextToken: 'page-2' })
      .resolvesOnce({ MetricDataResults: [{ Id: 'connections', Timestamps: [new Date(120_000)], Values: [200] }] });
    expect(await metrics.history(ecsTarget, 0, 180)).toEqual({ times: [60, 120], values: [100, 200] });
    expect(cloudwatch.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input.NextToken)).toEqual([undefined, 'page-2']);
    expect(cloudwatch.commandCalls(GetMetricDataCommand)[0]!.args[0].input.MetricDataQueries).toEqual([
      { Id: 'connections', Expression: `SUM(SEARCH('{Chat,TargetName,UnitId} MetricName="Connections" TargetName="chat"', 'Average', 60))`, ReturnData: true },
    ]);
  });

  it('a minute whose last 20 s are not yet ingested counts every unit in full (the issue 23 undercount)', async () => {
    // CloudWatch as it stands 5 s after 10:01: three units put their count every 10 s, and of the minute
    // 10:00-10:01 only the datapoints of its first 40 s are in. It answers a by-target Sum, or the search.
    const units = { a: 1000, b: 1200, c: 1800 };
    const start = Date.parse('2026-11-22T10:00:00Z');
    const ingested = Object.entries(units).flatMap(([unit, value]) => [0, 10, 20, 30].map((s) => ({ unit, value, at: start + s * 1000 })));
    cloudwatch.on(GetMetricDataCommand).callsFake((input) => {
      const query = input.MetricDataQueries[0];
      const Timestamps = [new Date(start)];
      if (query.MetricStat?.Stat === 'Sum') return { MetricDataResults: [{ Id: query.Id, Timestamps, Values: [ingested.reduce((sum, d) => sum + d.value, 0)] }] };
      const averages = Object.keys(units).map((unit) => {
        const mine = ingested.filter((d) => d.unit === unit);
        return mine.reduce((sum, d) => sum + d.value, 0) / mine.length;
      });
      return { MetricDataResults: [{ Id: query.Id, Timestamps, Values: [averages.reduce((a, b) => a + b, 0)] }] };
    });
    expect(await metrics.latest(ecsTarget, (start + 65_000) / 1000)).toBe(4000);
  });

  it('asks for the newest complete minutes and takes the latest', async () => {
    cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 'connections', Timestamps: [new Date(1_000_000 * 1000), new Date(999_940 * 1000)], Values: [1000, 10] }] });
    expect(await metrics.latest(ecsTarget, 1_000_030)).toBe(1000);
    const input = cloudwatch.commandCalls(GetMetricDataCommand)[0]!.args[0].input;
    // floor(1,000,030 / 60) * 60 = 1,000,020: the minute in progress is left out.
    expect([input.StartTime, input.EndTime]).toEqual([new Date((1_000_020 - 300) * 1000), new Date(1_000_020 * 1000)]);
  });

  it('says which metric is missing', async () => {
    cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    await expect(metrics.latest(ecsTarget, 1_000_000)).rejects.toThrow(AdapterError);
  });

  describe('the fleet total read unit by unit, for the units the platform runs', () => {
    // CloudWatch 20 s into 10:05, just after a scale-out from 2 units to 3: unit c put its first count 10 s
    // ago, and a search does not list its metric yet (listings may lag new metrics by up to 15 minutes).
    const now = Date.parse('2026-11-22T10:05:20Z') / 1000;
    const perMinute: Record<string, Array<[string, number]>> = {
      a: [['10:05', 900], ['10:04', 950]],
      b: [['10:05', 800], ['10:04', 820]],
      c: [['10:05', 300]],
    };
    const answer = (input: { MetricDataQueries: Array<{ Id: string; Expression?: string; MetricStat?: { Metric: { Dimensions: Array<{ Name: string; Value: string }> } } }> }) => {
      const first = input.MetricDataQueries[0]!;
      const listed = ['a', 'b'];
      if (first.Expression !== undefined) return { MetricDataResults: [{ Id: first.Id, Timestamps: [new Date('2026-11-22T10:04:00Z')], Values: [listed.reduce((sum, u) => sum + perMinute[u]![1]![1], 0)] }] };
      return {
        MetricDataResults: input.MetricDataQueries.map((q) => {
          const unit = q.MetricStat!.Metric.Dimensions.find((d) => d.Name === 'UnitId')!.Value;
          const points = perMinute[unit] ?? [];
          return { Id: q.Id, Timestamps: points.map(([at]) => new Date(`2026-11-22T${at}:00Z`)), Values: points.map(([, v]) => v) };
        }),
      };
    };

    it('counts a new unit from its first datapoint, where the search leaves it out', async () => {
      cloudwatch.on(GetMetricDataCommand).callsFake(answer);
      expect(await metrics.latest(ecsTarget, now)).toBe(950 + 820);
      expect(await metrics.latest(ecsTarget, now, ['a', 'b', 'c'])).toBe(900 + 800 + 300);
      const byUnit = cloudwatch.commandCalls(GetMetricDataCommand)[1]!.args[0].input;
      expect(byUnit.MetricDataQueries!.map((q) => [q.Id, q.MetricStat?.Stat, q.MetricStat?.Metric?.Dimensions?.map((d) => d.Value).join('/')])).toEqual([
        ['u0', 'Average', 'chat/a'],
        ['u1', 'Average', 'chat/b'],
        ['u2', 'Average', 'chat/c'],
      ]);
      // The minute in progress is read too: it may hold a new unit's only datapoint.
      expect([byUnit.StartTime, byUnit.EndTime, byUnit.ScanBy]).toEqual([new Date('2026-11-22T10:00:00Z'), new Date('2026-11-22T10:06:00Z'), 'TimestampDescending']);
    });

    it('a running unit with no datapoint yet counts as empty, but no datapoint from any unit is an error, never zero', async () => {
      cloudwatch.on(GetMetricDataCommand).callsFake(answer);
      expect(await metrics.latest(ecsTarget, now, ['a', 'd'])).toBe(900);
      await expect(metrics.latest(ecsTarget, now, ['d', 'e'])).rejects.toThrow('no Chat/Connections datapoint from any of the 2 running unit(s) of target chat in the last 5 minutes');
    });

    it('asks 500 units a call at most', async () => {
      cloudwatch.on(GetMetricDataCommand).callsFake((input) => ({ MetricDataResults: input.MetricDataQueries.map((q: { Id: string }) => ({ Id: q.Id, Timestamps: [new Date(now * 1000)], Values: [2] })) }));
      const units = Array.from({ length: 1201 }, (_, i) => `u-${i}`);
      expect(await metrics.latest(ecsTarget, now, units)).toBe(2 * 1201);
      expect(cloudwatch.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input.MetricDataQueries!.length)).toEqual([500, 500, 201]);
    });

    it('the ECS service lists its running and starting tasks by id, every page', async () => {
      ecs.on(ListTasksCommand).callsFake((input) => (input.nextToken === undefined ? { taskArns: ['arn:aws:ecs:us-east-1:1:task/c/t1'], nextToken: 'p2' } : { taskArns: ['arn:aws:ecs:us-east-1:1:task/c/t2'] }));
      expect(await scalingTargetFor(target('ecs-service', { cluster: 'c', service: 's' }), clients).listUnits!()).toEqual(['t1', 't2']);
      expect(ecs.commandCalls(ListTasksCommand).map((c) => c.args[0].input)).toEqual([
        { cluster: 'c', serviceName: 's', desiredStatus: 'RUNNING', nextToken: undefined },
        { cluster: 'c', serviceName: 's', desiredStatus: 'RUNNING', nextToken: 'p2' },
      ]);
    });

    it('the ASG lists its pending and in-service instances, not those leaving', async () => {
      const states = { 'i-1': 'Pending', 'i-2': 'Pending:Wait', 'i-3': 'InService', 'i-4': 'Terminating:Wait', 'i-5': 'Detaching', 'i-6': 'Standby' };
      autoscaling.on(DescribeAutoScalingGroupsCommand).resolves({
        AutoScalingGroups: [{ AutoScalingGroupName: 'g', MinSize: 0, MaxSize: 9, DesiredCapacity: 3, DefaultCooldown: 0, AvailabilityZones: [], HealthCheckType: 'EC2', CreatedTime: new Date(0), Instances: Object.entries(states).map(([InstanceId, LifecycleState]) => ({ InstanceId, LifecycleState: LifecycleState as never, AvailabilityZone: 'a', HealthStatus: 'Healthy', ProtectedFromScaleIn: false })) }],
      });
      expect(await scalingTargetFor(target('ec2-asg', { autoScalingGroupName: 'g' }), clients).listUnits!()).toEqual(['i-1', 'i-2', 'i-3']);
    });
  });

  it('returns only alarms in ALARM, with their datapoints, asking 100 names at a time', async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: 'a1', Threshold: 5, StateReasonData: '{"recentDatapoints":[6,7]}' }] });
    const names = Array.from({ length: 150 }, (_, i) => `a${i}`);
    const firing = await alarms.firingAlarms(names);
    expect([...firing.keys()]).toEqual(['a1']);
    expect(cloudwatch.commandCalls(DescribeAlarmsCommand).map((c) => c.args[0].input.AlarmNames?.length)).toEqual([100, 50]);
  });

  it.each([
    { name: 'reason data with datapoints and threshold', reason: '{"recentDatapoints":[1,2],"threshold":3}', threshold: undefined, expected: { threshold: 3, datapoints: [{ value: 1 }, { value: 2 }] } },
    { name: "the alarm's threshold when the reason has none", reason: '{"recentDatapoints":[1]}', threshold: 9, expected: { threshold: 9, datapoints: [{ value: 1 }] } },
    { name: 'nothing when there are no datapoints', reason: '{"threshold":3}', threshold: 3, expected: undefined },
    { name: 'nothing when the reason is not JSON', reason: 'Threshold Crossed', threshold: 3, expected: undefined },
  ])('alarmObservation: $name', ({ reason, threshold, expected }) => {
    expect(alarmObservation(reason, threshold)).toEqual(expected);
  });
});

describe('DynamoDB state store', () => {
  const store = new DynamoStateStore(DynamoDBDocumentClient.from(new DynamoDBClient({})), 'scaler-state');
  const decision = decide({ target: target('ecs-service', { cluster: 'c', service: 's' }), observation: { capacity: 2, metrics: { connections: 2000 }, alarms: {} }, state: emptyState(), now: 100 });

  it('starts from an empty state at version 0', async () => {
    db.on(GetCommand).resolves({});
    expect(await store.load('chat')).toEqual({ state: emptyState(), version: 0 });
    expect(db.commandCalls(GetCommand)[0]!.args[0].input).toEqual({ TableName: 'scaler-state', Key: { pk: 'target#chat' }, ConsistentRead: true });
  });

  it('saves conditionally on the version it read, with the last decision', async () => {
    db.on(PutCommand).resolves({});
    const lastDecision = { at: 100, current: 2, desired: 3, reason: decision.reason, message: decision.message };
    expect(await store.save('chat', { state: decision.state, lastDecision }, 4)).toBe(5);
    expect(db.commandCalls(PutCommand)[0]!.args[0].input).toEqual({
      TableName: 'scaler-state',
      Item: { pk: 'target#chat', version: 5, state: decision.state, lastDecision: { at: 100, current: 2, desired: 3, reason: decision.reason, message: decision.message } },
      ConditionExpression: 'version = :expected',
      ExpressionAttributeValues: { ':expected': 4 },
    });
  });

  it('turns a lost race into a StateConflictError', async () => {
    db.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
    const lastDecision = { at: 100, current: 2, desired: 3, reason: decision.reason, message: decision.message };
    await expect(store.save('chat', { state: decision.state, lastDecision }, 4)).rejects.toThrow(StateConflictError);
  });

  it('refuses a corrupt stored state instead of guessing', async () => {
    db.on(GetCommand).resolves({ Item: { pk: 'target#chat', version: 3, state: { warmups: 'lots' } } });
    await expect(store.load('chat')).rejects.toThrow(ConfigError);
  });

  it('reads back a stored forecast model as it was saved', async () => {
    const model = { method: 'none', stepSeconds: 60, epoch: 0, profile: [], period: 1, quantile: 0.8, levels: [], bands: [[500]], smoothingSeconds: 0, scores: [], sampleSteps: 5, tracking: { level: 0.3, trend: 0.2 } };
    db.on(GetCommand, { Key: { pk: 'forecast#chat' } }).resolves({ Item: { pk: 'forecast#chat', fittedAt: 60, publishedUntil: 3660, model: JSON.stringify(model) } });
    expect(await store.loadForecast('chat')).toEqual({ model, fittedAt: 60, publishedUntil: 3660 });
  });
});
