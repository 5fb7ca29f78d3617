import { readFileSync } from 'node:fs';
import { AutoScalingClient, CompleteLifecycleActionCommand, DescribeAutoScalingGroupsCommand, SetDesiredCapacityCommand, SetInstanceProtectionCommand } from '@aws-sdk/client-auto-scaling';
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeServicesCommand, ListTasksCommand, UpdateServiceCommand, UpdateTaskProtectionCommand } from '@aws-sdk/client-ecs';
import { GetCommandInvocationCommand, SendCommandCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ScalerError } from '../core';
import { runTerminateAction, type DrainOptions } from '../kinds';
import { runScheduled } from './on-schedule';
import { busiest } from './seams/metric-source';
import { exampleConfig, fakeAws, HOME, recordingLog } from '../aws/testing';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8'));
let aws = fakeAws();
afterEach(() => aws.restore());

/** Per-unit loads answered by CloudWatch, one query per unit in the order asked. */
function unitLoads(loads: Record<string, number>) {
  aws.cloudwatch.on(GetMetricDataCommand).callsFake((input) => {
    const first = input.MetricDataQueries[0];
    if (first.Expression !== undefined) return { MetricDataResults: [{ Id: 'connections', Timestamps: [new Date('2026-11-22T09:58:00Z')], Values: [700] }] };
    return {
      MetricDataResults: input.MetricDataQueries.map((q: { Id: string; MetricStat: { Metric: { Dimensions: Array<{ Name: string; Value: string }> } } }) => {
        const id = q.MetricStat.Metric.Dimensions.find((d) => d.Name === 'UnitId')!.Value;
        return { Id: q.Id, Values: id in loads ? [loads[id]!] : [] };
      }),
    };
  });
}

describe('scale-in spares the busiest units', () => {
  it('ECS: protects the busiest tasks (10 per call) before lowering desiredCount', async () => {
    aws = fakeAws({ ecsDesired: 14 });
    const tasks = Array.from({ length: 14 }, (_, i) => `arn:aws:ecs:us-east-1:1:task/chat/t${i}`);
    aws.ecs.on(ListTasksCommand).callsFake((input) => (input.nextToken === undefined ? { taskArns: tasks.slice(0, 8), nextToken: 'more' } : { taskArns: tasks.slice(8) }));
    // Tasks t13, t12, t11 carry 400, 200 and 100 connections, the rest none; 700 in all need 1 unit at 700/unit -> min 2.
    unitLoads({ t13: 400, t12: 200, t11: 100 });
    const config = exampleConfig();
    const rt = aws.runtime({ ...config, targets: [{ ...config.targets[0]!, policies: [{ ...(config.targets[0]!.policies[0] as object), scaleIn: { stabilizationSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 60 }] } } as never] }] });
    const report = await runScheduled(fixture('scheduled-event'), rt, recordingLog());
    expect(report.evaluated[0]).toMatchObject({ current: 14, desired: 2, applied: true });
    const protections = aws.ecs.commandCalls(UpdateTaskProtectionCommand).map((c) => c.args[0].input);
    expect(protections).toEqual([{ cluster: 'chat', tasks: [tasks[13], tasks[12]], protectionEnabled: true, expiresInMinutes: 10 }]);
    expect(aws.model.table.get('protection#chat-fargate')?.units).toEqual([tasks[13], tasks[12]]);
    expect(aws.ecs.commandCalls(ListTasksCommand)[0]!.args[0].input).toMatchObject({ cluster: 'chat', serviceName: 'chat-fargate', desiredStatus: 'RUNNING' });
    const order = [...aws.ecs.calls()].map((c) => c.args[0].constructor.name);
    expect(order.indexOf('UpdateTaskProtectionCommand')).toBeLessThan(order.indexOf('UpdateServiceCommand'));
    expect(aws.ecs.commandCalls(UpdateServiceCommand)[0]!.args[0].input.desiredCount).toBe(2);
  });

  it('ECS: lifts the protection once the scale-in has settled, and not before', async () => {
    aws = fakeAws({ ecsDesired: 2 });
    const arns = ['arn:aws:ecs:us-east-1:1:task/chat/t13', 'arn:aws:ecs:us-east-1:1:task/chat/t12'];
    aws.model.table.set('protection#chat-fargate', { pk: 'protection#chat-fargate', units: arns });
    unitLoads({});
    const settling = { services: [{ serviceName: 'chat-fargate', desiredCount: 2, runningCount: 5 }] };
    aws.ecs.on(DescribeServicesCommand).resolvesOnce(settling).resolves({ services: [{ serviceName: 'chat-fargate', desiredCount: 2, runningCount: 2 }] });
    const rt = aws.runtime(exampleConfig());
    await runScheduled(fixture('scheduled-event'), rt, recordingLog());
    expect(aws.ecs.commandCalls(UpdateTaskProtectionCommand)).toHaveLength(0);
    await runScheduled({ ...fixture('scheduled-event'), time: '2026-11-22T10:01:00Z' }, rt, recordingLog());
    expect(aws.ecs.commandCalls(UpdateTaskProtectionCommand).map((c) => c.args[0].input)).toEqual([{ cluster: 'chat', tasks: arns, protectionEnabled: false }]);
    expect(aws.model.table.get('protection#chat-fargate')?.units).toEqual([]);
  });

  it('ASG: protects the busiest instances and unprotects the rest before lowering DesiredCapacity', async () => {
    const autoscaling = mockClient(AutoScalingClient);
    autoscaling.on(DescribeAutoScalingGroupsCommand).resolves({
      AutoScalingGroups: [
        {
          AutoScalingGroupName: 'chat-asg',
          DesiredCapacity: 3,
          MinSize: 1,
          MaxSize: 9,
          DefaultCooldown: 300,
          AvailabilityZones: ['us-east-1a'],
          HealthCheckType: 'EC2',
          CreatedTime: new Date(0),
          Instances: ['i-a', 'i-b', 'i-c', 'i-d'].map((InstanceId) => ({ InstanceId, LifecycleState: InstanceId === 'i-d' ? 'Terminating' : 'InService', AvailabilityZone: 'us-east-1a', HealthStatus: 'Healthy', ProtectedFromScaleIn: false })),
        },
      ],
    });
    const { ec2AsgTarget } = await import('../kinds/ec2-asg/adapter');
    const target = ec2AsgTarget(new AutoScalingClient({}), { autoScalingGroupName: 'chat-asg' });
    const kept = await target.protectBusiest!(2, async (units) => new Map(units.map((u) => [u, { 'i-a': 5, 'i-b': 900, 'i-c': 300 }[u] ?? 0])));
    expect(kept).toEqual(['i-b', 'i-c']);
    expect(autoscaling.commandCalls(SetInstanceProtectionCommand).map((c) => c.args[0].input)).toEqual([
      { AutoScalingGroupName: 'chat-asg', InstanceIds: ['i-b', 'i-c'], ProtectedFromScaleIn: true },
      { AutoScalingGroupName: 'chat-asg', InstanceIds: ['i-a'], ProtectedFromScaleIn: false },
    ]);
    expect(autoscaling.commandCalls(SetDesiredCapacityCommand)).toHaveLength(0);
    autoscaling.restore();
  });

  it.each([
    { name: 'keeps the most loaded', loads: { a: 1, b: 3, c: 2 }, keep: 2, expected: ['b', 'c'] },
    { name: 'keeps the listed order on ties', loads: { a: 0, b: 0, c: 0 }, keep: 2, expected: ['a', 'b'] },
    { name: 'keeps everything when asked for more', loads: { a: 1 }, keep: 3, expected: ['a'] },
  ])('busiest $name', ({ loads, keep, expected }) => {
    expect(busiest(new Map(Object.entries(loads)), keep)).toEqual(expected);
  });
});

describe('ASG terminating lifecycle hook', () => {
  // Mocks stub the client classes' prototypes, so each test makes its own and restores it.
  let autoscaling = mockClient(AutoScalingClient);
  let ssm = mockClient(SSMClient);
  beforeEach(() => {
    autoscaling = mockClient(AutoScalingClient);
    ssm = mockClient(SSMClient);
  });
  afterEach(() => [autoscaling, ssm].forEach((m) => m.restore()));
  const clients = { autoscaling: new AutoScalingClient({}), ssm: new SSMClient({}), home: HOME, groups: ['chat-asg'], clock: () => Date.parse('2026-11-22T10:10:00Z') / 1000 };
  const drain: DrainOptions = { document: 'prod-realtime-scaler-chat-drain', timeoutSeconds: 10, pollSeconds: 2, sleep: async () => {} };
  const completion = {
    AutoScalingGroupName: 'chat-asg',
    LifecycleHookName: 'chat-drain',
    LifecycleActionToken: '87654321-4321-4321-4321-210987654321',
    InstanceId: 'i-1234567890abcdef0',
    LifecycleActionResult: 'CONTINUE',
  };

  it('drains the instance through SSM, waits for it, then lets termination continue', async () => {
    ssm.on(SendCommandCommand).resolves({ Command: { CommandId: 'cmd-1' } });
    ssm.on(GetCommandInvocationCommand).resolvesOnce({ Status: 'InProgress' }).resolvesOnce({ Status: 'Success' });
    expect(await runTerminateAction(fixture('terminate-lifecycle-action'), clients, recordingLog(), drain)).toEqual({ instance: 'i-1234567890abcdef0', drained: true });
    expect(ssm.commandCalls(SendCommandCommand)[0]!.args[0].input).toEqual({
      InstanceIds: ['i-1234567890abcdef0'],
      DocumentName: 'prod-realtime-scaler-chat-drain',
      TimeoutSeconds: 30,
    });
    expect(ssm.commandCalls(GetCommandInvocationCommand)).toHaveLength(2);
    expect(autoscaling.commandCalls(CompleteLifecycleActionCommand).map((c) => c.args[0].input)).toEqual([completion]);
  });

  it.each([
    { name: 'the drain command fails', setup: () => ssm.on(GetCommandInvocationCommand).resolves({ Status: 'Failed' }), polls: 1 },
    { name: 'the drain never finishes in time', setup: () => ssm.on(GetCommandInvocationCommand).resolves({ Status: 'InProgress' }), polls: 5 },
    { name: 'SSM cannot reach the instance', setup: () => ssm.on(SendCommandCommand).rejects(new Error('InvalidInstanceId')), polls: 0 },
  ])('still completes the lifecycle action when $name', async ({ setup, polls }) => {
    ssm.on(SendCommandCommand).resolves({ Command: { CommandId: 'cmd-1' } });
    setup();
    expect(await runTerminateAction(fixture('terminate-lifecycle-action'), clients, recordingLog(), drain)).toMatchObject({ drained: false });
    expect(ssm.commandCalls(GetCommandInvocationCommand)).toHaveLength(polls);
    expect(autoscaling.commandCalls(CompleteLifecycleActionCommand).map((c) => c.args[0].input)).toEqual([completion]);
  });

  it('refuses a lifecycle action for a group that no target names, and neither drains nor completes it', async () => {
    const event = fixture('terminate-lifecycle-action');
    event.detail.AutoScalingGroupName = 'someone-elses-asg';
    await expect(runTerminateAction(event, clients, recordingLog(), drain)).rejects.toThrow('lifecycle action for Auto Scaling group "someone-elses-asg", which no target names (chat-asg); not drained, hook left alone');
    expect(ssm.calls()).toHaveLength(0);
    expect(autoscaling.calls()).toHaveLength(0);
  });

  it('refuses another event without touching the instance', async () => {
    await expect(runTerminateAction(fixture('scheduled-event'), clients, recordingLog(), drain)).rejects.toThrow(ScalerError);
    expect(ssm.calls()).toHaveLength(0);
    expect(autoscaling.calls()).toHaveLength(0);
  });
});
