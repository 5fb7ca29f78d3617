import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeSyntheses, shippedApp, synthApp, type SynthesizedApp, staged } from './testing';

afterAll(removeSyntheses);

interface EditableConfig {
  targets: Array<{ objective?: unknown; policies: Array<{ alarm?: { threshold: number; [key: string]: unknown } } & Record<string, unknown>> }>;
}

/** The shipped configuration, changed by `edit`, written to a file of its own. */
function changedConfig(edit: (config: EditableConfig) => void): string {
  const config = JSON.parse(readFileSync('scaler.config.json', 'utf8'));
  edit(config);
  const file = join(mkdtempSync(join(tmpdir(), 'scaler-config-')), 'scaler.config.json');
  writeFileSync(file, JSON.stringify(config));
  return file;
}

const alarms = (app: SynthesizedApp) =>
  Object.fromEntries(
    Object.values(app.template('Controller').findResources('AWS::CloudWatch::Alarm'))
      .filter((a) => a.Properties.Namespace === 'Chat')
      .map((a) => [a.Properties.AlarmName, a.Properties.Threshold]),
  );
const routedAlarms = (app: SynthesizedApp) =>
  Object.values(app.template('Controller').findResources('AWS::Events::Rule')).find((r) => r.Properties.EventPattern?.source?.[0] === 'aws.cloudwatch')?.Properties.EventPattern.detail.alarmName;
const describableAlarms = (app: SynthesizedApp) =>
  app
    .statements()
    .filter((s) => s.owner.startsWith('Evaluate') && s.actions.includes('cloudwatch:DescribeAlarms'))
    .flatMap((s) => s.resources.map((r) => JSON.stringify(r).match(/alarm:([\w-]+)/)?.[1]));
const actions = (app: SynthesizedApp) => new Set(app.statements().flatMap((s) => s.actions));

describe('the stacks follow the scaling configuration', () => {
  let shipped: SynthesizedApp;
  beforeAll(async () => {
    shipped = await shippedApp();
  });

  it('adds an alarm, its route and its permission for a new step policy, and moves a threshold', async () => {
    const app = await synthApp(
      changedConfig((config) => {
        config.targets[0]!.policies.push({
          type: 'ecs-step',
          name: 'burst',
          AdjustmentType: 'ChangeInCapacity',
          StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 4 }],
          alarm: { comparison: 'GreaterThanThreshold', threshold: 1200, evaluationPeriods: 1 },
        });
        config.targets[1]!.policies[0]!.alarm!.threshold = 900;
      }),
    );
    expect(alarms(shipped)).toEqual({ [staged('chat-fargate-surge')]: 850, [staged('chat-ec2-scale-out')]: 700, [staged('chat-ec2-scale-in')]: 700 });
    expect(alarms(app)).toEqual({ [staged('chat-fargate-surge')]: 850, [staged('chat-fargate-burst')]: 1200, [staged('chat-ec2-scale-out')]: 900, [staged('chat-ec2-scale-in')]: 700 });
    expect(routedAlarms(app)).toEqual([staged('chat-fargate-surge'), staged('chat-fargate-burst'), staged('chat-ec2-scale-out'), staged('chat-ec2-scale-in')]);
    expect(describableAlarms(app)).toEqual([staged('chat-fargate-surge'), staged('chat-fargate-burst'), staged('chat-ec2-scale-out'), staged('chat-ec2-scale-in')]);
  });

  it('deploys the daily re-tuning only while a target has an objective', async () => {
    const handlers = (app: SynthesizedApp) => Object.values(app.template('Controller').findResources('AWS::Lambda::Function')).map((f) => f.Properties.Handler);
    const schedules = (app: SynthesizedApp) => Object.values(app.template('Controller').findResources('AWS::Events::Rule')).map((r) => r.Properties.ScheduleExpression);
    expect(handlers(shipped)).toContain('functions/retune.handler');
    expect(schedules(shipped)).toContain('rate(1 day)');
    const app = await synthApp(changedConfig((config) => delete config.targets[0]!.objective));
    expect(handlers(app)).not.toContain('functions/retune.handler');
    expect(schedules(app)).not.toContain('rate(1 day)');
  });

  it('removes a target’s platform, alarms, rule, drain and permissions with the target', async () => {
    const app = await synthApp(changedConfig((config) => config.targets.splice(1, 1)));
    expect(Object.keys(shipped.template('ChatEc2').findResources('AWS::AutoScaling::AutoScalingGroup'))).toHaveLength(1);
    expect(Object.keys(app.template('ChatEc2').findResources('AWS::AutoScaling::AutoScalingGroup'))).toHaveLength(0);
    expect(Object.keys(app.template('LoadBalancer').findResources('AWS::ElasticLoadBalancingV2::TargetGroup'))).toHaveLength(1);
    expect(alarms(app)).toEqual({ [staged('chat-fargate-surge')]: 850 });
    expect(routedAlarms(app)).toEqual([staged('chat-fargate-surge')]);
    const functions = Object.values(app.template('Controller').findResources('AWS::Lambda::Function')).map((f) => f.Properties.Handler);
    expect(functions).not.toContain('functions/lifecycle.handler');
    const rules = Object.values(app.template('Controller').findResources('AWS::Events::Rule')).map((r) => r.Properties.EventPattern?.source?.[0]);
    expect(rules).not.toContain('aws.autoscaling');
    for (const action of ['autoscaling:SetDesiredCapacity', 'autoscaling:DescribeAutoScalingGroups', 'autoscaling:CompleteLifecycleAction', 'ssm:SendCommand']) {
      expect(actions(shipped).has(action), action).toBe(true);
      expect(actions(app).has(action), action).toBe(false);
    }
    expect(Object.values(app.template('Dashboard').findResources('AWS::CloudWatch::Dashboard')).map((d) => d.Properties.DashboardName)).toEqual([staged('chat-fargate')]);
  });
});
