import { readFileSync } from 'node:fs';
import { SetDesiredCapacityCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { parseControllerConfig, ScalerError } from '../core';
import { exampleConfig, fakeAws, recordingLog } from '../aws/testing';
import { runAlarm } from './on-alarm';
import { runScheduled } from './on-schedule';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8'));
let aws = fakeAws();
afterEach(() => aws.restore());

describe('alarm handler', () => {
  it('applies the step policy with the datapoints in the EventBridge event', async () => {
    aws = fakeAws({ asgDesired: 10 });
    const outcome = await runAlarm(fixture('alarm-state-change'), aws.runtime(exampleConfig()), recordingLog());
    // Average of 960 and 980 is 970: 270 above 700, the +50% step: 10 -> 15.
    expect(outcome).toMatchObject({ target: 'chat-ec2', applied: true, decision: { desired: 15, reason: 'StepScaleOut' } });
    expect(aws.autoscaling.commandCalls(SetDesiredCapacityCommand).map((c) => c.args[0].input)).toEqual([{ AutoScalingGroupName: 'chat-asg', DesiredCapacity: 15, HonorCooldown: false }]);
    expect(aws.cloudwatch.commandCalls(DescribeAlarmsCommand)).toHaveLength(0);
  });

  it('takes an SNS notification and fetches the datapoints it lacks from DescribeAlarms', async () => {
    aws = fakeAws({ asgDesired: 10 });
    aws.cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: 'chat-ec2-scale-out', Threshold: 700, StateReasonData: JSON.stringify({ recentDatapoints: [760, 780] }) }] });
    const outcome = await runAlarm(fixture('sns-alarm'), aws.runtime(exampleConfig()), recordingLog());
    expect(outcome).toMatchObject({ decision: { desired: 11, reason: 'StepScaleOut' } });
    expect(aws.cloudwatch.commandCalls(DescribeAlarmsCommand)[0]!.args[0].input.AlarmNames).toEqual(['chat-ec2-scale-out']);
  });

  it('reads the datapoints back from the metric when the alarm is no longer described as in ALARM', async () => {
    aws = fakeAws({ asgDesired: 10 });
    aws.cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: 'connections', Timestamps: [new Date(0), new Date(60_000)], Values: [1000, 1020] }] });
    // The controller's clock reads the alarm's periods: here, as the alarm changed state.
    aws.clock.now = Date.parse('2026-11-22T10:04:40Z') / 1000;
    const outcome = await runAlarm(fixture('sns-alarm'), aws.runtime(exampleConfig()), recordingLog());
    // Average 1010 is 310 above 700: the +50% step.
    expect(outcome).toMatchObject({ decision: { desired: 15, reason: 'StepScaleOut' } });
    const query = aws.cloudwatch.commandCalls(GetMetricDataCommand)[0]!.args[0].input;
    expect(query.MetricDataQueries?.[0]?.MetricStat).toMatchObject({ Period: 60, Stat: 'Average' });
    expect([query.StartTime, query.EndTime]).toEqual([new Date('2026-11-22T10:02:00Z'), new Date('2026-11-22T10:04:00Z')]);
  });

  it("does not scale in on one alarm while the target's scale-out alarm is still in ALARM", async () => {
    aws = fakeAws({ asgDesired: 10 });
    const config = exampleConfig();
    const ec2 = config.targets[1]!;
    const scaleIn = { type: 'ec2-step', name: 'scale-in', AdjustmentType: 'ChangeInCapacity', MetricAggregationType: 'Average', StepAdjustments: [{ MetricIntervalUpperBound: 0, ScalingAdjustment: -2 }], alarm: { comparison: 'LessThanThreshold', threshold: 300, evaluationPeriods: 1 } };
    const both = parseControllerConfig({ ...config, targets: [config.targets[0], { ...ec2, policies: [...ec2.policies, scaleIn] }] });
    // The scale-out alarm is still in ALARM, though its newest datapoint fell below its threshold: its policy finds no step.
    aws.cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: 'chat-ec2-scale-out', Threshold: 700, StateReasonData: JSON.stringify({ recentDatapoints: [650] }) }] });
    const event = fixture('alarm-state-change');
    event.detail.alarmName = 'chat-ec2-scale-in';
    event.detail.state.reasonData = JSON.stringify({ recentDatapoints: [100], threshold: 300 });
    const outcome = await runAlarm(event, aws.runtime(both), recordingLog());
    expect(outcome).toMatchObject({ applied: false, decision: { desired: 10, reason: 'ScaleOutAlarmFiring' } });
    expect(aws.cloudwatch.commandCalls(DescribeAlarmsCommand).map((c) => c.args[0].input)).toEqual([{ AlarmNames: ['chat-ec2-scale-out', 'chat-ec2-scale-in'], StateValue: 'ALARM' }]);
    expect(aws.autoscaling.commandCalls(SetDesiredCapacityCommand)).toHaveLength(0);
  });

  it('does nothing when the alarm leaves ALARM', async () => {
    aws = fakeAws();
    const event = fixture('alarm-state-change');
    event.detail.state.value = 'OK';
    expect(await runAlarm(event, aws.runtime(exampleConfig()), recordingLog())).toEqual({ skipped: 'alarm chat-ec2-scale-out is OK' });
    expect(aws.mutatingCalls()).toBe(0);
  });

  it('refuses an alarm it does not know, naming the configured ones', async () => {
    aws = fakeAws();
    const event = fixture('alarm-state-change');
    event.detail.alarmName = 'someone-elses-alarm';
    await expect(runAlarm(event, aws.runtime(exampleConfig()), recordingLog())).rejects.toThrow('unknown alarm "someone-elses-alarm"; configured alarms: chat-ec2-scale-out');
    expect(aws.mutatingCalls()).toBe(0);
  });
});

describe('malformed events', () => {
  it('an alarm event padded with megabytes of unknown fields is refused before it is read, naming its size', async () => {
    aws = fakeAws({ asgDesired: 10 });
    const event = { ...fixture('alarm-state-change'), padding: 'x'.repeat(3 * 1024 * 1024) };
    await expect(runAlarm(event, aws.runtime(exampleConfig()), recordingLog())).rejects.toThrow(/^Invalid CloudWatch alarm state change event: \d+ bytes, over the 262144 bytes an AWS event can be; refused$/);
    expect(aws.mutatingCalls() + aws.cloudwatch.calls().length).toBe(0);
  });

  it.each([
    { name: 'an empty object', event: {} },
    { name: 'null', event: null },
    { name: 'a scheduled event without a time', event: { ...fixture('scheduled-event'), time: undefined } },
    { name: 'an alarm event with a NaN-like time', event: { ...fixture('alarm-state-change'), time: 'yesterday' } },
    { name: 'an SNS record whose message is not JSON', event: { Records: [{ EventSource: 'aws:sns', Sns: { MessageId: 'm', Message: '{oops', Timestamp: '2026-11-22T10:00:00Z' } }] } },
  ])('$name is refused with a clear error and no mutating call', async ({ event }) => {
    aws = fakeAws();
    const rt = aws.runtime(exampleConfig());
    await expect(runScheduled(event, rt, recordingLog())).rejects.toThrow(ScalerError);
    await expect(runAlarm(event, rt, recordingLog())).rejects.toThrow(ScalerError);
    expect(aws.mutatingCalls()).toBe(0);
  });

  it('fuzzed events never escape as anything but a ScalerError, and never call a mutating API', async () => {
    aws = fakeAws();
    const rt = aws.runtime(exampleConfig());
    const mutate = fc.oneof(
      fc.anything(),
      fc.record({ 'detail-type': fc.constantFrom('Scheduled Event', 'CloudWatch Alarm State Change'), source: fc.constantFrom('aws.events', 'aws.cloudwatch'), time: fc.string(), detail: fc.anything() }),
      fc.record({ Records: fc.array(fc.record({ EventSource: fc.constant('aws:sns'), Sns: fc.record({ MessageId: fc.string(), Message: fc.string(), Timestamp: fc.string() }) })) }),
    );
    await fc.assert(
      fc.asyncProperty(mutate, async (event) => {
        for (const run of [runScheduled, runAlarm]) {
          try {
            await run(event, rt, recordingLog());
          } catch (error) {
            expect(error).toBeInstanceOf(ScalerError);
          }
        }
      }),
      { numRuns: 300 },
    );
    expect(aws.mutatingCalls()).toBe(0);
  });
});
