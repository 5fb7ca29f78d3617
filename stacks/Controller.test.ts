import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RETUNING, type ControllerConfig } from '../core';
import { CONFIG_ENV, loadDeployableConfig, REFRESH_SECONDS } from '../controller';
import { AWS_DEPLOYMENT } from '../aws';
import { stagedConfig } from './scaling-config';
import { DEFAULT_DRAIN } from '../kinds';
import { DRAIN_HOOK_NAME, DRAIN_HOOK_TIMEOUT_SECONDS } from './ChatEc2';
import { FORECAST_SCHEDULE, RETUNE_SCHEDULE } from './Controller';
import { reservedConcurrency } from './controller-sizing';
import { ALERT_EMAIL_ENV } from './deploy-settings';
import { removeSyntheses, shippedApp, STACKS, staged, synthApp, type StackName, type SynthesizedApp } from './testing';

afterAll(removeSyntheses);

let app: SynthesizedApp;
beforeAll(async () => {
  app = await shippedApp();
});

const FUNCTIONS = [
  { id: 'Evaluate', handler: 'scheduled', timeout: 50, retries: 0 },
  { id: 'OnAlarm', handler: 'alarm', timeout: 30, retries: 2 },
  { id: 'RefreshForecast', handler: 'forecast', timeout: 300, retries: 1 },
  // One target with an objective in the shipped configuration: 30 s plus its 60.
  { id: 'Retune', handler: 'retune', timeout: 90, retries: 1 },
  { id: 'DrainInstance', handler: 'lifecycle', timeout: DEFAULT_DRAIN.timeoutSeconds + 45, retries: 1 },
] as const;

/** The logical id of the one resource of `type` whose id starts with `prefix`. */
function logicalId(type: string, prefix: string): string {
  const ids = Object.keys(app.template('Controller').findResources(type)).filter((id) => new RegExp(`^${prefix}[0-9A-F]{8}$`).test(id));
  expect(ids, `${type} ${prefix}`).toHaveLength(1);
  return ids[0]!;
}

describe('Controller stack', () => {
  it('keeps target state in an on-demand DynamoDB table with point-in-time recovery, retained on delete', () => {
    const template = app.template('Controller');
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      },
    });
  });

  it.each(FUNCTIONS)('runs the $handler handler as $id with a $timeout s timeout, the configuration in its environment', ({ id, handler, timeout }) => {
    app.template('Controller').hasResourceProperties('AWS::Lambda::Function', {
      Handler: `functions/${handler}.handler`,
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Timeout: timeout,
      Environment: { Variables: Match.objectLike({ [CONFIG_ENV]: 'scaler.config.json' }) },
    });
    expect(logicalId('AWS::Lambda::Function', id)).toMatch(new RegExp(`^${id}`));
  });

  it.each(FUNCTIONS)('bundles $handler with the configuration, and the bundle exports a handler', async ({ id, handler }) => {
    const bundle = app.bundleOf('Controller', logicalId('AWS::Lambda::Function', id));
    const bundled = JSON.parse(readFileSync(join(bundle, 'scaler.config.json'), 'utf8')) as ControllerConfig;
    expect(bundled).toEqual(stagedConfig(loadDeployableConfig('scaler.config.json', AWS_DEPLOYMENT), staged));
    const entry = join(bundle, `functions/${handler}.mjs`);
    expect(existsSync(entry)).toBe(true);
    const module = (await import(pathToFileURL(entry).href)) as { handler?: unknown };
    expect(typeof module.handler).toBe('function');
  });

  it('gives the re-tuning a whole vCPU for its search', () => {
    const retune = app.template('Controller').findResources('AWS::Lambda::Function')[logicalId('AWS::Lambda::Function', 'Retune')]!;
    expect(retune.Properties.MemorySize).toBe(1769);
  });

  it('gives the drain longer than the default, and the hook longer than the drain', () => {
    const drain = FUNCTIONS.find((f) => f.handler === 'lifecycle')!;
    expect(drain.timeout).toBeGreaterThan(DEFAULT_DRAIN.timeoutSeconds);
    expect(DRAIN_HOOK_TIMEOUT_SECONDS).toBeGreaterThan(drain.timeout);
  });

  it('gives the evaluation and alarm handlers the state table, and only its items', () => {
    const template = app.template('Controller');
    const table = logicalId('AWS::DynamoDB::Table', 'StateTable');
    for (const id of ['Evaluate', 'OnAlarm', 'RefreshForecast', 'Retune']) {
      const fn = template.findResources('AWS::Lambda::Function')[logicalId('AWS::Lambda::Function', id)]!;
      expect(fn.Properties.Environment.Variables.SCALER_STATE_TABLE).toEqual({ Ref: table });
    }
    const dynamo = app.statements().filter((s) => s.actions.some((a) => a.startsWith('dynamodb:')));
    expect(dynamo).toHaveLength(4);
    for (const s of dynamo) {
      expect(s.actions).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem']);
      expect(s.resources).toEqual([{ 'Fn::GetAtt': [table, 'Arn'] }]);
    }
  });

  it('refreshes the forecast as often as the forecast handler publishes ahead, and re-tunes as often as re-tuning is due', () => {
    expect(FORECAST_SCHEDULE).toBe('rate(1 hour)');
    expect(REFRESH_SECONDS).toBe(3600);
    expect(RETUNE_SCHEDULE).toBe('rate(1 day)');
    expect(RETUNING.everySeconds).toBe(86_400);
  });

  it.each([
    { schedule: 'rate(1 minute)', fn: 'Evaluate' },
    { schedule: 'rate(1 hour)', fn: 'RefreshForecast' },
    { schedule: 'rate(1 day)', fn: 'Retune' },
  ])('invokes $fn on $schedule, with undeliverable events kept', ({ schedule, fn }) => {
    app.template('Controller').hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: schedule,
      State: 'ENABLED',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [logicalId('AWS::Lambda::Function', fn), 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalId('AWS::SQS::Queue', 'FailedEvents'), 'Arn'] } },
          RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 2 }),
        }),
      ],
    });
  });

  it.each([
    { name: staged('chat-fargate-surge'), comparison: 'GreaterThanOrEqualToThreshold', threshold: 850, periods: 1, kind: 'ecs-service', target: staged('chat-fargate') },
    { name: staged('chat-ec2-scale-out'), comparison: 'GreaterThanOrEqualToThreshold', threshold: 700, periods: 2, kind: 'ec2-asg', target: staged('chat-ec2') },
    { name: staged('chat-ec2-scale-in'), comparison: 'LessThanOrEqualToThreshold', threshold: 700, periods: 15, kind: 'ec2-asg', target: staged('chat-ec2') },
  ])('alarms as $name defines: $comparison $threshold over $periods minute(s) of Chat/Connections per node', ({ name, comparison, threshold, periods, kind, target }) => {
    app.template('Controller').hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: name,
      Namespace: 'Chat',
      MetricName: 'Connections',
      Dimensions: [
        { Name: 'TargetKind', Value: kind },
        { Name: 'TargetName', Value: target },
      ],
      Statistic: 'Average',
      Period: 60,
      ComparisonOperator: comparison,
      Threshold: threshold,
      EvaluationPeriods: periods,
      DatapointsToAlarm: periods,
      TreatMissingData: 'missing',
    });
  });

  it('routes the step alarms going into ALARM, and only them, to the alarm handler', () => {
    app.template('Controller').hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.cloudwatch'],
        'detail-type': ['CloudWatch Alarm State Change'],
        detail: { alarmName: ['chat-fargate-surge', 'chat-ec2-scale-out', 'chat-ec2-scale-in'].map((n) => staged(n)), state: { value: ['ALARM'] } },
      },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalId('AWS::Lambda::Function', 'OnAlarm'), 'Arn'] } })],
    });
  });

  it("routes the ASG's drain hook to the lifecycle handler", () => {
    app.template('Controller').hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.autoscaling'],
        'detail-type': ['EC2 Instance-terminate Lifecycle Action'],
        detail: { AutoScalingGroupName: [staged('chat-asg')], LifecycleHookName: [DRAIN_HOOK_NAME] },
      },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalId('AWS::Lambda::Function', 'DrainInstance'), 'Arn'] } })],
    });
  });

  it.each(FUNCTIONS)('sends $id events that fail every retry ($retries) to the dead-letter queue', ({ id, retries }) => {
    app.template('Controller').hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: logicalId('AWS::Lambda::Function', id) },
      MaximumRetryAttempts: retries,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [logicalId('AWS::SQS::Queue', 'FailedEvents'), 'Arn'] } } },
    });
  });

  it('alarms on the first event in the dead-letter queue', () => {
    app.template('Controller').hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId('AWS::SQS::Queue', 'FailedEvents'), 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('tells its alert topic when events fail, when a function fails and when one is throttled, and again when it recovers', () => {
    const template = app.template('Controller');
    const topic = logicalId('AWS::SNS::Topic', 'Alerts');
    for (const name of ['failed-events', 'controller-errors', 'controller-throttles']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: staged(name), AlarmActions: [{ Ref: topic }], OKActions: [{ Ref: topic }] });
    }
    const errors = Object.values(template.findResources('AWS::CloudWatch::Alarm')).find((a) => a.Properties.AlarmName === staged('controller-errors'))!;
    const summed = (errors.Properties.Metrics as Array<{ MetricStat?: { Metric: { MetricName: string; Dimensions: Array<{ Value: { Ref: string } }> } } }>).flatMap((m) => (m.MetricStat ? [m.MetricStat] : []));
    expect(summed.map((m) => m.Metric.MetricName)).toEqual(FUNCTIONS.map(() => 'Errors'));
    expect(summed.map((m) => m.Metric.Dimensions[0]!.Value.Ref).sort()).toEqual(FUNCTIONS.map((f) => logicalId('AWS::Lambda::Function', f.id)).sort());
    template.hasResourceProperties('AWS::SNS::Topic', { TopicName: staged('controller-alerts') });
  });

  it('gives every alarm of the app an action: a notification, or the rule that acts on it', () => {
    const rules = (Object.keys(STACKS) as StackName[]).flatMap((stack) => Object.values(app.template(stack).findResources('AWS::Events::Rule')));
    const routed = new Set(rules.flatMap((r) => (r.Properties.EventPattern?.detail?.alarmName as string[] | undefined) ?? []));
    const alarms = (Object.keys(STACKS) as StackName[]).flatMap((stack) => Object.values(app.template(stack).findResources('AWS::CloudWatch::Alarm')));
    expect(alarms.length).toBe(6);
    for (const alarm of alarms) expect((alarm.Properties.AlarmActions ?? []).length > 0 || routed.has(alarm.Properties.AlarmName), alarm.Properties.AlarmName).toBe(true);
  });

  it.each(Object.entries(reservedConcurrency(loadDeployableConfig('scaler.config.json', AWS_DEPLOYMENT))))('reserves %s %i concurrent executions', (id, reserved) => {
    const fn = app.template('Controller').findResources('AWS::Lambda::Function')[logicalId('AWS::Lambda::Function', id)]!;
    expect(fn.Properties.ReservedConcurrentExecutions).toBe(reserved);
  });

  it('deploys after the chat stacks, so no evaluation runs before what it scales exists', () => {
    const order = new Map<string, string[]>();
    for (const stack of app.dependencies()) order.set(stack.name, stack.dependsOn);
    expect(order.get('Controller')).toEqual(expect.arrayContaining(['ChatFargate', 'ChatEc2']));
  });

  it('lists the configured targets in its outputs', () => {
    const outputs = app.template('Controller').findOutputs('Targets');
    expect(Object.values(outputs)[0]?.Value).toBe(`${staged('chat-fargate')} (ecs-service), ${staged('chat-ec2')} (ec2-asg)`);
  });
});

describe('with SCALER_ALERT_EMAIL set', () => {
  it('subscribes each address to the alert topic', async () => {
    process.env[ALERT_EMAIL_ENV] = 'ops@example.com,oncall@example.org';
    try {
      const withEmail = await synthApp();
      const subscriptions = Object.values(withEmail.template('Controller').findResources('AWS::SNS::Subscription')).map((r) => [r.Properties.Protocol, r.Properties.Endpoint]);
      expect(subscriptions).toEqual([
        ['email', 'ops@example.com'],
        ['email', 'oncall@example.org'],
      ]);
    } finally {
      delete process.env[ALERT_EMAIL_ENV];
    }
    expect(Object.keys(app.template('Controller').findResources('AWS::SNS::Subscription'))).toHaveLength(0);
  });
});

describe('under sst dev', () => {
  it("runs each handler through SST's live bridge, with the same timeout and environment", async () => {
    const dev = await synthApp('scaler.config.json', 'dev');
    const functions = Object.values(dev.template('Controller').findResources('AWS::Lambda::Function')).filter((f) => f.Properties.Environment?.Variables?.[CONFIG_ENV]);
    expect(functions.map((f) => [f.Properties.Handler, f.Properties.Timeout])).toEqual(FUNCTIONS.map((f) => ['live-lambda.handler', f.timeout]));
    for (const fn of functions) {
      const file = fn.Properties.Environment.Variables[CONFIG_ENV] as string;
      expect(file).toMatch(/^\.sst\/scaler\/test\/[0-9a-f]{16}\.config\.json$/);
      expect(loadDeployableConfig(file, AWS_DEPLOYMENT)).toEqual(stagedConfig(loadDeployableConfig('scaler.config.json', AWS_DEPLOYMENT), staged));
    }
  });
});

describe('an unusable scaling configuration', () => {
  it('synthesizes nothing and lists every problem', async () => {
    const bad = join(mkdtempSync(join(tmpdir(), 'scaler-stack-')), 'bad.json');
    writeFileSync(bad, JSON.stringify({ targets: [], region: 'mars-1' }));
    const failure = synthApp(bad);
    await expect(failure).rejects.toThrow('Invalid controller configuration: 2 problem(s)');
    await expect(failure).rejects.toThrow('targets: at least one target is required (received: [])');
    await expect(failure).rejects.toThrow('region: unknown key (received: "mars-1")');
  });

  it('says how to provide one when there is none', async () => {
    await expect(synthApp('nowhere.json')).rejects.toThrow(/no controller configuration at .*nowhere\.json: create scaler\.config\.json in the project root or set SCALER_CONFIG/);
  });
});
