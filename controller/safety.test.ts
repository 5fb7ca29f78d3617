// The controller fails safe: one test per defect found against an AWS emulator (issue 23), each with the
// exact commands sent.
import { readFileSync } from 'node:fs';
import { CompleteLifecycleActionCommand, SetDesiredCapacityCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeAlarmsCommand, GetMetricDataCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { SendCommandCommand } from '@aws-sdk/client-ssm';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, emptyState, parseControllerConfig } from '../core';
import { AdapterError, EventError } from './errors';
import { runAlarm } from './on-alarm';
import { runForecastRefresh } from './on-forecast-refresh';
import { runRetune } from './on-retune';
import { DEFAULT_DRAIN, runTerminateAction } from '../kinds';
import { runScheduled } from './on-schedule';
import { exampleConfig, fakeAws, HOME, recordingLog } from '../aws/testing';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8'));
const at = (iso: string) => Date.parse(iso) / 1000;
let aws = fakeAws();
afterEach(() => aws.restore());

/** Every call any mocked client received. */
const allCalls = () => [aws.ecs, aws.scalableTargets, aws.autoscaling, aws.cloudwatch, aws.db].reduce((n, m) => n + m.calls().length, 0);
const setDesired = () => aws.autoscaling.commandCalls(SetDesiredCapacityCommand).map((c) => c.args[0].input);

describe('a change the platform refuses is not recorded as done', () => {
  it('puts the state back, rethrows so the event is retried, and the retry scales to the same capacity', async () => {
    aws = fakeAws({ asgDesired: 10 });
    const refusal = Object.assign(new Error('New SetDesiredCapacity value 15 is above max value 12 for the AutoScalingGroup'), { name: 'ValidationError' });
    aws.autoscaling.on(SetDesiredCapacityCommand).rejectsOnce(refusal).callsFake((input) => {
      aws.model.asgDesired = input.DesiredCapacity;
      return {};
    });
    const rt = aws.runtime(exampleConfig());
    const event = fixture('alarm-state-change');

    await expect(runAlarm(event, rt, recordingLog())).rejects.toThrow(AdapterError);
    await expect(runAlarm(event, rt, recordingLog())).resolves.toMatchObject({ decision: { current: 10, desired: 15, reason: 'StepScaleOut' }, applied: true });
    expect(setDesired()).toEqual([
      { AutoScalingGroupName: 'chat-asg', DesiredCapacity: 15, HonorCooldown: false },
      { AutoScalingGroupName: 'chat-asg', DesiredCapacity: 15, HonorCooldown: false },
    ]);
    expect(aws.model.asgDesired).toBe(15);
  });

  it('between the two, the stored state is what was there before, with the failure as the last decision', async () => {
    aws = fakeAws({ asgDesired: 10 });
    aws.autoscaling.on(SetDesiredCapacityCommand).rejects(Object.assign(new Error('Throttled'), { name: 'ThrottlingException' }));
    const error = await runAlarm(fixture('alarm-state-change'), aws.runtime(exampleConfig()), recordingLog()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdapterError);
    expect((error as Error).message).toBe('ec2-asg chat-ec2 refused the change 10 -> 15: Throttled');
    const item = aws.model.table.get('target#chat-ec2')!;
    expect(item.state).toEqual(emptyState());
    expect(item.lastDecision).toMatchObject({ current: 10, desired: 10, reason: 'ApplyFailed' });
    expect(item.version).toBe(2);
  });

  it('the next scheduled evaluation, with the alarm still in ALARM, scales to what the failed one aimed at', async () => {
    aws = fakeAws({ asgDesired: 10 });
    aws.autoscaling.on(SetDesiredCapacityCommand).rejectsOnce(new Error('ServiceUnavailable')).callsFake((input) => {
      aws.model.asgDesired = input.DesiredCapacity;
      return {};
    });
    const alarm = fixture('alarm-state-change').detail.state;
    aws.cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: 'chat-ec2-scale-out', StateValue: 'ALARM', Threshold: 700, StateReasonData: alarm.reasonData }] });
    const rt = aws.runtime(exampleConfig());
    await expect(runAlarm(fixture('alarm-state-change'), rt, recordingLog())).rejects.toThrow(AdapterError);
    const report = await runScheduled(fixture('scheduled-event'), rt, recordingLog());
    expect(report.evaluated.find((e) => e.target === 'chat-ec2')).toMatchObject({ current: 10, desired: 15, reason: 'StepScaleOut', applied: true });
    expect(setDesired().map((c) => c.DesiredCapacity)).toEqual([15, 15]);
  });
});

describe("the platform's own limits bound every decision", () => {
  it("clamps to the group's MaxSize when it is below the configured max, and says so", async () => {
    aws = fakeAws({ asgDesired: 10, asgMax: 12 });
    const outcome = await runAlarm(fixture('alarm-state-change'), aws.runtime(exampleConfig()), recordingLog());
    expect(outcome).toMatchObject({ decision: { current: 10, desired: 12, reason: 'ClampedToPlatformMax' } });
    expect((outcome as { decision: { message: string } }).decision.message).toMatch(/^wanted 15, clamped to the platform's max 12, below the configured maxCapacity/);
    expect(setDesired()).toEqual([{ AutoScalingGroupName: 'chat-asg', DesiredCapacity: 12, HonorCooldown: false }]);
  });
});

describe("the controller's clock is its own; event time only orders and deduplicates", () => {
  const snsAt = (time: string) => {
    const event = fixture('sns-alarm');
    const message = JSON.parse(event.Records[0].Sns.Message);
    event.Records[0].Sns.Message = JSON.stringify({ ...message, StateChangeTime: time });
    return event;
  };

  it('refuses an alarm dated in 2099, changes nothing, and a genuine alarm then still scales', async () => {
    aws = fakeAws({ asgDesired: 10 });
    const rt = aws.runtime(exampleConfig());
    await expect(runAlarm(snsAt('2099-01-01T00:00:00.000+0000'), rt, recordingLog())).rejects.toThrow(
      /^alarm state change .* is dated 2099-01-01T00:00:00.000Z, more than 300 s ahead of this controller's clock \(2026-11-22T10:05:00.000Z\); refused$/,
    );
    expect(allCalls()).toBe(0);
    await expect(runAlarm(fixture('sns-alarm'), rt, recordingLog())).resolves.toMatchObject({ decision: { desired: 15, reason: 'StepScaleOut' } });
  });

  it('refuses a scheduled event older than 15 minutes', async () => {
    aws = fakeAws();
    const stale = { ...fixture('scheduled-event'), time: '2026-11-22T09:45:00Z' };
    await expect(runScheduled(stale, aws.runtime(exampleConfig()), recordingLog())).rejects.toThrow('more than 900 s before this controller\'s clock');
    expect(allCalls()).toBe(0);
  });

  it("runs cooldowns and warm-ups on its own clock, and deduplicates on the event's time", async () => {
    aws = fakeAws({ asgDesired: 10 });
    const rt = aws.runtime(exampleConfig());
    await runAlarm(fixture('alarm-state-change'), rt, recordingLog());
    const state = aws.model.table.get('target#chat-ec2')!.state as { lastScaledAt: number; warmups: Array<{ readyAt: number }> };
    // The event happened at 10:04:40; the controller acted at its own 10:05:00, and the warm-up runs from then.
    expect(state.lastScaledAt).toBe(at('2026-11-22T10:04:40Z'));
    expect(state.warmups).toEqual([{ units: 5, readyAt: at('2026-11-22T10:05:00Z') + 300 }]);
    aws.clock.now += 30;
    await expect(runAlarm(fixture('alarm-state-change'), rt, recordingLog())).resolves.toMatchObject({ decision: { reason: 'AlreadyScaled' } });
  });
});

describe('events from another account or region are refused with no AWS call', () => {
  it.each([
    { name: 'an alarm event from another account', event: { ...fixture('alarm-state-change'), account: '999999999999' }, run: 'alarm' },
    { name: 'an alarm event from another region', event: { ...fixture('alarm-state-change'), region: 'eu-west-1' }, run: 'alarm' },
    { name: 'a scheduled event from another account', event: { ...fixture('scheduled-event'), account: '999999999999' }, run: 'scheduled' },
    { name: 'a forecast refresh from another region', event: { ...fixture('scheduled-event'), region: 'eu-west-1' }, run: 'forecast' },
    { name: 'a re-tuning from another account', event: { ...fixture('scheduled-event'), account: '999999999999' }, run: 'retune' },
  ])('$name', async ({ event, run }) => {
    aws = fakeAws();
    const rt = aws.runtime(exampleConfig());
    const handlers = { alarm: runAlarm, scheduled: runScheduled, forecast: runForecastRefresh, retune: runRetune } as const;
    await expect(handlers[run as keyof typeof handlers](event, rt, recordingLog())).rejects.toThrow(/comes from account .* this controller runs in account 123456789012 in us-east-1 and acts on nothing else/);
    expect(allCalls()).toBe(0);
  });

  it('an alarm relayed through SNS from another account, by its message or its topic', async () => {
    aws = fakeAws();
    const rt = aws.runtime(exampleConfig());
    const byMessage = fixture('sns-alarm');
    byMessage.Records[0].Sns.Message = byMessage.Records[0].Sns.Message.replace('"AWSAccountId":"123456789012"', '"AWSAccountId":"999999999999"');
    const byTopic = fixture('sns-alarm');
    byTopic.Records[0].Sns.TopicArn = 'arn:aws:sns:us-east-1:999999999999:scaler-alarms';
    byTopic.Records[0].Sns.Message = byTopic.Records[0].Sns.Message.replace('"AWSAccountId":"123456789012",', '');
    await expect(runAlarm(byMessage, rt, recordingLog())).rejects.toThrow(EventError);
    await expect(runAlarm(byTopic, rt, recordingLog())).rejects.toThrow('comes from account "999999999999" in "us-east-1"');
    expect(allCalls()).toBe(0);
  });

  it('a lifecycle action from another account drains nothing', async () => {
    aws = fakeAws();
    const { SSMClient } = await import('@aws-sdk/client-ssm');
    const { AutoScalingClient } = await import('@aws-sdk/client-auto-scaling');
    const { mockClient } = await import('aws-sdk-client-mock');
    const ssm = mockClient(SSMClient);
    try {
      const event = { ...fixture('terminate-lifecycle-action'), account: '999999999999' };
      await expect(runTerminateAction(event, { ssm: new SSMClient({}), autoscaling: new AutoScalingClient({}), home: HOME, groups: ['chat-asg'], clock: () => Date.parse('2026-11-22T10:10:00Z') / 1000 }, recordingLog(), { ...DEFAULT_DRAIN, document: 'test-realtime-scaler-chat-drain' })).rejects.toThrow(EventError);
      expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(0);
      expect(aws.autoscaling.commandCalls(CompleteLifecycleActionCommand)).toHaveLength(0);
    } finally {
      ssm.restore();
    }
  });
});

describe('dry run changes nothing', () => {
  it('the forecast refresh fits and logs, and stores and publishes nothing', async () => {
    aws = fakeAws();
    const day = (t: number) => 3000 + 1000 * Math.sin((2 * Math.PI * t) / 86_400);
    aws.cloudwatch.on(GetMetricDataCommand).callsFake((input) => {
      const Timestamps: Date[] = [];
      for (let t = input.StartTime.getTime() / 1000; t < input.EndTime.getTime() / 1000; t += 60) Timestamps.push(new Date(t * 1000));
      return { MetricDataResults: [{ Id: 'connections', Timestamps, Values: Timestamps.map((d) => day(d.getTime() / 1000)) }] };
    });
    const config = parseControllerConfig({ ...exampleConfig(true), targets: [{ ...exampleConfig().targets[0]!, policies: [{ type: 'predictive', name: 'forecast', connectionsPerUnit: 700 }] }] });
    const log = recordingLog();
    const report = await runForecastRefresh(fixture('scheduled-event'), aws.runtime(config), log);
    expect(report).toMatchObject({ failed: [], refreshed: [{ target: 'chat-fargate', published: 0 }] });
    expect(aws.db.commandCalls(PutCommand)).toHaveLength(0);
    expect(aws.cloudwatch.commandCalls(PutMetricDataCommand)).toHaveLength(0);
    expect(log.lines.map((l) => l.message)).toContain('forecast fitted (dry run: nothing stored or published)');
  });
});

describe('hostile input is quoted short, and an event problem is an event error', () => {
  it('a 100 kB alarm name becomes a short message that gives its length', async () => {
    aws = fakeAws();
    const event = fixture('alarm-state-change');
    event.detail.alarmName = 'x'.repeat(100_000);
    const error = (await runAlarm(event, aws.runtime(exampleConfig()), recordingLog()).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(EventError);
    expect(error.message.length).toBeLessThan(400);
    expect(error.message).toContain('... (100002 characters)');
  });

  it('a malformed event is an EventError, not a ConfigError, and a huge field is quoted short', async () => {
    aws = fakeAws();
    const event = { ...fixture('scheduled-event'), time: 'y'.repeat(100_000) };
    const error = (await runScheduled(event, aws.runtime(exampleConfig()), recordingLog()).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(EventError);
    expect(error).not.toBeInstanceOf(ConfigError);
    expect(error.message.length).toBeLessThan(1_000);
    expect(error.message).toMatch(/^Invalid scheduled event: 2 problem\(s\)\n/);
    expect(error.message).toContain('- time: must be an ISO 8601 time (received: "yyy');
    expect(error.message).toContain('... (100002 characters))');
  });
});

describe('forecasts: an older refresh never replaces a newer model, and each minute is published once', () => {
  function withHistory() {
    aws = fakeAws();
    aws.cloudwatch.on(GetMetricDataCommand).callsFake((input) => {
      const Timestamps: Date[] = [];
      const from = Math.max(input.StartTime.getTime() / 1000, at('2026-11-20T10:00:00Z'));
      for (let t = Math.ceil(from / 60) * 60; t < input.EndTime.getTime() / 1000; t += 60) Timestamps.push(new Date(t * 1000));
      return { MetricDataResults: [{ Id: 'connections', Timestamps, Values: Timestamps.map((d) => 3000 + 1000 * Math.sin((2 * Math.PI * d.getTime()) / 86_400_000)) }] };
    });
  }
  const config = parseControllerConfig({ targets: [{ ...exampleConfig().targets[0]!, policies: [{ type: 'predictive', name: 'forecast', connectionsPerUnit: 700 }] }] });
  const refreshAt = async (clock: string) => {
    aws.clock.now = at(clock);
    return runForecastRefresh({ ...fixture('scheduled-event'), time: clock }, aws.runtime(config), recordingLog());
  };

  it('a late retry of an older refresh leaves the newer model and publishes nothing', async () => {
    withHistory();
    await refreshAt('2026-11-22T11:00:00Z');
    const newer = aws.model.table.get('forecast#chat-fargate')!;
    aws.cloudwatch.resetHistory();
    const late = await refreshAt('2026-11-22T10:58:00Z');
    expect(late.refreshed).toEqual([]);
    expect(aws.model.table.get('forecast#chat-fargate')).toEqual(newer);
    expect(aws.cloudwatch.commandCalls(PutMetricDataCommand)).toHaveLength(0);
  });

  it('read back as a user would, hourly refreshes and a retry between them show one forecast per minute, with no gap', async () => {
    withHistory();
    for (const clock of ['2026-11-22T10:00:00Z', '2026-11-22T10:20:00Z', '2026-11-22T11:00:00Z']) await refreshAt(clock);
    const datums = aws.cloudwatch.commandCalls(PutMetricDataCommand).flatMap((c) => c.args[0].input.MetricData ?? []);
    for (const name of ['ConnectionsForecast', 'ConnectionsForecastUpper']) {
      const minutes = datums.filter((d) => d.MetricName === name).map((d) => d.Timestamp!.getTime() / 1000);
      expect(new Set(minutes).size).toBe(minutes.length);
      const sorted = [...minutes].sort((a, b) => a - b);
      expect([sorted[0], sorted[sorted.length - 1], sorted.length]).toEqual([at('2026-11-22T10:00:00Z'), at('2026-11-22T11:59:00Z'), 120]);
    }
  });
});
