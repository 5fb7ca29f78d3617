import { readdirSync, readFileSync } from 'node:fs';
import { AutoScalingClient, CompleteLifecycleActionCommand, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { SendCommandCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { alarmsOf } from '../core';
import { parseDeployableConfig } from './config';
import { runAlarm } from './on-alarm';
import { runForecastRefresh } from './on-forecast-refresh';
import { runTerminateAction } from '../kinds';
import { runScheduled } from './on-schedule';
import { fakeAws, HOME, recordingLog } from '../aws/testing';
import { AWS_DEPLOYMENT } from '../aws';

const EXAMPLES = new URL('../examples/', import.meta.url);
// kubernetes.json is scaler keda's (a Deployment, the Redis heartbeats): keda/scaler.test.ts runs it, and
// deploy/kubernetes/manifests.test.ts validates it as the shipped configuration.
const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.json') && f !== 'kubernetes.json');
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8'));
const NOW = Date.parse(fixture('scheduled-event').time) / 1000;

let aws = fakeAws();
afterEach(() => aws.restore());

/** AWS that knows whatever service and group a configuration names, with two days of connections. */
function awsFor() {
  aws = fakeAws();
  aws.ecs.on(DescribeServicesCommand).callsFake((input) => ({ services: input.services.map((serviceName: string) => ({ serviceName, desiredCount: 4, runningCount: 4 })) }));
  aws.autoscaling
    .on(DescribeAutoScalingGroupsCommand)
    .callsFake((input) => ({ AutoScalingGroups: input.AutoScalingGroupNames.map((name: string) => ({ AutoScalingGroupName: name, DesiredCapacity: 4, MinSize: 0, MaxSize: 100 })) }));
  aws.cloudwatch.on(GetMetricDataCommand).callsFake((input) => {
    const Timestamps: Date[] = [];
    const Values: number[] = [];
    for (let t = Math.max(input.StartTime.getTime() / 1000, NOW - 2 * 86_400); t < input.EndTime.getTime() / 1000; t += 60) {
      Timestamps.push(new Date(t * 1000));
      Values.push(3000 + 1500 * Math.sin((2 * Math.PI * t) / 86_400));
    }
    return { MetricDataResults: input.MetricDataQueries.map((q: { Id: string }) => ({ Id: q.Id, Timestamps, Values })) };
  });
  return aws;
}

describe.each(files)('examples/%s', (file) => {
  const config = parseDeployableConfig(JSON.parse(readFileSync(new URL(file, EXAMPLES), 'utf8')), AWS_DEPLOYMENT);

  it('validates as the deployed controller would run it', () => {
    expect(config.targets.length).toBeGreaterThan(0);
  });

  it('runs through the scheduled evaluation and the forecast refresh with no failure', async () => {
    const rt = awsFor().runtime(config);
    const refresh = await runForecastRefresh(fixture('scheduled-event'), rt, recordingLog());
    expect(refresh.failed).toEqual([]);
    const evaluation = await runScheduled(fixture('scheduled-event'), rt, recordingLog());
    expect(evaluation.failed).toEqual([]);
    expect(evaluation.evaluated.map((e) => e.target)).toEqual(config.targets.map((t) => t.name));
  });

  it('acts on the state change of every alarm it defines', async () => {
    const alarms = config.targets.flatMap((t) => alarmsOf(t).map((a) => a.name));
    for (const alarmName of alarms) {
      const rt = awsFor().runtime(config);
      const event = fixture('alarm-state-change');
      event.detail.alarmName = alarmName;
      const outcome = await runAlarm(event, rt, recordingLog());
      expect(outcome).toHaveProperty('decision');
    }
  });

  it('drains an instance on the lifecycle hook (which reads no configuration)', async () => {
    const ssm = mockClient(SSMClient);
    const autoscaling = mockClient(AutoScalingClient);
    try {
      ssm.on(SendCommandCommand).resolves({});
      const drain = { document: 'test-realtime-scaler-chat-drain', timeoutSeconds: 0, pollSeconds: 1, sleep: async () => undefined };
      await runTerminateAction(fixture('terminate-lifecycle-action'), { ssm: new SSMClient({}), autoscaling: new AutoScalingClient({}), home: HOME, groups: ['chat-asg'], clock: () => Date.parse('2026-11-22T10:10:00Z') / 1000 }, recordingLog(), drain);
      expect(autoscaling.commandCalls(CompleteLifecycleActionCommand)).toHaveLength(1);
    } finally {
      ssm.restore();
      autoscaling.restore();
    }
  });
});
