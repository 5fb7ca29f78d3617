import { readFileSync } from 'node:fs';
import { SetDesiredCapacityCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeServicesCommand, ListTasksCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { exampleConfig, fakeAws, recordingLog } from '../aws/testing';
import { runScheduled } from './on-schedule';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8'));
let aws = fakeAws();
afterEach(() => aws.restore());

describe('scheduled evaluation', () => {
  it('scales the ECS service out on connections and the ASG not at all, with the exact calls', async () => {
    aws = fakeAws({ ecsDesired: 4, connections: 7000 });
    const report = await runScheduled(fixture('scheduled-event'), aws.runtime(exampleConfig()), recordingLog());
    expect(report).toEqual({
      evaluated: [
        // 7,000 connections at 700 per unit need 10; the default rate limit allows max(+100%, +4) from 4.
        { target: 'chat-fargate', current: 4, desired: 8, reason: 'ScaleOutRateLimited', applied: true },
        { target: 'chat-ec2', current: 10, desired: 10, reason: 'NoChange', applied: false },
      ],
      failed: [],
    });
    expect(aws.ecs.commandCalls(DescribeServicesCommand)[0]!.args[0].input).toEqual({ cluster: 'chat', services: ['chat-fargate'] });
    expect(aws.ecs.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input)).toEqual([{ cluster: 'chat', service: 'chat-fargate', desiredCount: 8 }]);
    expect(aws.autoscaling.commandCalls(SetDesiredCapacityCommand)).toHaveLength(0);
    expect(aws.cloudwatch.commandCalls(DescribeAlarmsCommand)[0]!.args[0].input).toEqual({ AlarmNames: ['chat-ec2-scale-out'], StateValue: 'ALARM', NextToken: undefined });
    // The fleet total is read unit by unit, for the service's running tasks; the group's step policy reads no total.
    expect(aws.ecs.commandCalls(ListTasksCommand).map((c) => c.args[0].input)).toEqual([{ cluster: 'chat', serviceName: 'chat-fargate', desiredStatus: 'RUNNING', nextToken: undefined }]);
    const [byUnit, ...more] = aws.cloudwatch.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input);
    expect(more).toEqual([]);
    const unit = (i: number) => ({
      Id: `u${i}`,
      MetricStat: { Metric: { Namespace: 'Chat', MetricName: 'Connections', Dimensions: [{ Name: 'TargetName', Value: 'chat-fargate' }, { Name: 'UnitId', Value: `t${i}` }] }, Period: 60, Stat: 'Average' },
      ReturnData: true,
    });
    expect(byUnit).toEqual({ MetricDataQueries: [0, 1, 2, 3].map(unit), StartTime: new Date('2026-11-22T10:00:00Z'), EndTime: new Date('2026-11-22T10:06:00Z'), ScanBy: 'TimestampDescending', NextToken: undefined });

    const saved = aws.db.commandCalls(PutCommand).map((c) => c.args[0].input);
    expect(saved.map((p) => [p.Item?.pk, p.Item?.version, p.ConditionExpression])).toEqual([
      ['target#chat-fargate', 1, 'attribute_not_exists(pk)'],
      ['target#chat-ec2', 1, 'attribute_not_exists(pk)'],
    ]);
  });

  it('keeps acting on an alarm still in ALARM, which EventBridge would not report again', async () => {
    aws = fakeAws({ asgDesired: 10 });
    aws.cloudwatch.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [{ AlarmName: 'chat-ec2-scale-out', Threshold: 700, StateReasonData: JSON.stringify({ recentDatapoints: [950, 960], threshold: 700 }) }],
    });
    await runScheduled(fixture('scheduled-event'), aws.runtime(exampleConfig()), recordingLog());
    expect(aws.autoscaling.commandCalls(SetDesiredCapacityCommand).map((c) => c.args[0].input)).toEqual([{ AutoScalingGroupName: 'chat-asg', DesiredCapacity: 15, HonorCooldown: false }]);
  });

  it('in dryRun logs the decision and sends no mutating call, not even a state write', async () => {
    aws = fakeAws({ ecsDesired: 4 });
    const log = recordingLog();
    const report = await runScheduled(fixture('scheduled-event'), aws.runtime(exampleConfig(true)), log);
    expect(report.evaluated[0]).toMatchObject({ desired: 8, applied: false });
    expect(aws.mutatingCalls()).toBe(0);
    expect(log.lines.find((l) => l.extra.target === 'chat-fargate')).toMatchObject({ message: 'decision (dry run: nothing changed)', extra: { desired: 8, reason: 'ScaleOutRateLimited' } });
  });

  it('scales once when EventBridge delivers the same event twice', async () => {
    aws = fakeAws({ ecsDesired: 4 });
    const rt = aws.runtime(exampleConfig());
    await runScheduled(fixture('scheduled-event'), rt, recordingLog());
    const again = await runScheduled(fixture('scheduled-event'), rt, recordingLog());
    expect(aws.ecs.commandCalls(UpdateServiceCommand)).toHaveLength(1);
    expect(again.evaluated[0]).toMatchObject({ current: 8, desired: 8, reason: 'AlreadyScaled', applied: false });
  });

  it('of two invocations deciding from the same state concurrently, exactly one scales out', async () => {
    aws = fakeAws({ ecsDesired: 4 });
    const rt = aws.runtime(exampleConfig());
    const [a, b] = await Promise.all([runScheduled(fixture('scheduled-event'), rt, recordingLog()), runScheduled(fixture('scheduled-event'), rt, recordingLog())]);
    expect(aws.ecs.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input.desiredCount)).toEqual([8]);
    expect([a.evaluated[0]!.applied, b.evaluated[0]!.applied].sort()).toEqual([false, true]);
    expect(aws.db.commandCalls(GetCommand).length).toBeGreaterThan(4);
  });

  it('a failure on one target does not stop the others, and the report says what failed', async () => {
    aws = fakeAws();
    aws.ecs.on(DescribeServicesCommand).rejects(new Error('ThrottlingException: Rate exceeded'));
    const report = await runScheduled(fixture('scheduled-event'), aws.runtime(exampleConfig()), recordingLog());
    expect(report.failed).toEqual([{ target: 'chat-fargate', error: 'Error: ThrottlingException: Rate exceeded' }]);
    expect(report.evaluated.map((e) => e.target)).toEqual(['chat-ec2']);
  });

  it('refuses a missing metric for that target without calling any mutating API', async () => {
    aws = fakeAws();
    aws.cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 'u0', Timestamps: [], Values: [] }] });
    const report = await runScheduled(fixture('scheduled-event'), aws.runtime(exampleConfig()), recordingLog());
    expect(report.failed[0]).toEqual({ target: 'chat-fargate', error: 'AdapterError: no Chat/Connections datapoint from any of the 4 running unit(s) of target chat-fargate in the last 5 minutes' });
    expect(aws.ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });
});
