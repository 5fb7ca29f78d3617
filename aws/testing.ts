// Test wiring for the handlers: SDK clients mocked at the SDK level, a DynamoDB table kept in memory
// that honours conditional writes, and a log that records what was logged.
import { ApplicationAutoScalingClient, DescribeScalableTargetsCommand } from '@aws-sdk/client-application-auto-scaling';
import { AutoScalingClient, DescribeAutoScalingGroupsCommand, SetDesiredCapacityCommand } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeServicesCommand, ECSClient, ListTasksCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { parseControllerConfig, type ControllerConfig } from '../core';
import type { DecisionLog, Runtime } from '../controller';
import { awsDeps } from './runtime';


/** The account and region of the fixtures' events: where the test controller runs. */
export const HOME = { account: '123456789012', region: 'us-east-1' } as const;

/** The ECS service the tests scale: what a target configuration names to find it. */
export const CHAT_FARGATE = { name: 'chat-fargate', kind: 'ecs-service', resource: { cluster: 'chat', service: 'chat-fargate' } } as const;

export const exampleConfig = (dryRun = false): ControllerConfig =>
  parseControllerConfig({
    dryRun,
    targets: [
      {
        ...CHAT_FARGATE,
        minCapacity: 2,
        maxCapacity: 50,
        policies: [{ type: 'target-tracking', name: 'connections', targetPerUnit: 700 }],
      },
      {
        name: 'chat-ec2',
        kind: 'ec2-asg',
        resource: { autoScalingGroupName: 'chat-asg' },
        minCapacity: 2,
        maxCapacity: 40,
        policies: [
          {
            type: 'ec2-step',
            name: 'scale-out',
            AdjustmentType: 'PercentChangeInCapacity',
            MinAdjustmentMagnitude: 1,
            StepAdjustments: [
              { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 200, ScalingAdjustment: 10 },
              { MetricIntervalLowerBound: 200, ScalingAdjustment: 50 },
            ],
            alarm: { comparison: 'GreaterThanOrEqualToThreshold', threshold: 700, evaluationPeriods: 2 },
          },
        ],
      },
    ],
  });

export function recordingLog(): DecisionLog & { lines: Array<{ level: string; message: string; extra: Record<string, unknown> }> } {
  const lines: Array<{ level: string; message: string; extra: Record<string, unknown> }> = [];
  const at = (level: string) => (message: string, ...extra: Array<Record<string, unknown>>) => lines.push({ level, message, extra: Object.assign({}, ...extra) });
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}

/** Mocked AWS with a live model: ECS desiredCount, ASG DesiredCapacity and a DynamoDB table in memory. */
export function fakeAws(options: { ecsDesired?: number; asgDesired?: number; asgMax?: number; connections?: number } = {}) {
  const ecs = mockClient(ECSClient);
  const scalableTargets = mockClient(ApplicationAutoScalingClient);
  scalableTargets.on(DescribeScalableTargetsCommand).resolves({ ScalableTargets: [] });
  const autoscaling = mockClient(AutoScalingClient);
  const cloudwatch = mockClient(CloudWatchClient);
  const db = mockClient(DynamoDBDocumentClient);
  const model = { ecsDesired: options.ecsDesired ?? 4, asgDesired: options.asgDesired ?? 10, table: new Map<string, Record<string, unknown>>() };

  ecs.on(DescribeServicesCommand).callsFake(() => ({ services: [{ serviceName: 'chat-fargate', desiredCount: model.ecsDesired }] }));
  ecs.on(UpdateServiceCommand).callsFake((input) => {
    model.ecsDesired = input.desiredCount;
    return {};
  });
  autoscaling.on(DescribeAutoScalingGroupsCommand).callsFake(() => ({ AutoScalingGroups: [{ AutoScalingGroupName: 'chat-asg', DesiredCapacity: model.asgDesired, MinSize: 1, MaxSize: options.asgMax ?? 60 }] }));
  autoscaling.on(SetDesiredCapacityCommand).callsFake((input) => {
    model.asgDesired = input.DesiredCapacity;
    return {};
  });
  // The service's tasks, t0 onward, as many as are desired; each publishes an equal share of the connections.
  const taskArns = () => Array.from({ length: model.ecsDesired }, (_, i) => `arn:aws:ecs:us-east-1:123456789012:task/chat/t${i}`);
  ecs.on(ListTasksCommand).callsFake(() => ({ taskArns: taskArns() }));
  const measuredAt = [new Date('2026-11-22T09:58:00Z')];
  cloudwatch.on(GetMetricDataCommand).callsFake((input: { MetricDataQueries: Array<{ Id: string; Expression?: string }> }) => {
    const total = options.connections ?? 7000;
    // The search's fleet total, or one answer per unit read by name.
    if (input.MetricDataQueries[0]?.Expression !== undefined) return { MetricDataResults: [{ Id: 'connections', Timestamps: measuredAt, Values: [total] }] };
    return { MetricDataResults: input.MetricDataQueries.map((q) => ({ Id: q.Id, Timestamps: measuredAt, Values: [total / input.MetricDataQueries.length] })) };
  });
  cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
  db.on(GetCommand).callsFake((input) => ({ Item: model.table.get(input.Key.pk) }));
  db.on(PutCommand).callsFake((input) => {
    const existing = model.table.get(input.Item.pk);
    const expected = input.ExpressionAttributeValues?.[':expected'];
    const conditions: Record<string, () => boolean> = {
      'attribute_not_exists(pk)': () => existing === undefined,
      'version = :expected': () => existing?.version === expected,
      'attribute_not_exists(pk) OR fittedAt < :at': () => existing === undefined || Number(existing.fittedAt) < input.ExpressionAttributeValues[':at'],
      'attribute_not_exists(pk) OR tunedAt < :at': () => existing === undefined || Number(existing.tunedAt) < input.ExpressionAttributeValues[':at'],
    };
    const ok = input.ConditionExpression === undefined || conditions[input.ConditionExpression]!();
    if (!ok) throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
    model.table.set(input.Item.pk, structuredClone(input.Item));
    return {};
  });

  // The controller's clock: a little after the fixtures' events, as a Lambda would run them.
  const clock = { now: Date.parse('2026-11-22T10:05:00Z') / 1000 };
  const runtime = (config: ControllerConfig): Runtime => ({
    config,
    clock: () => clock.now,
    home: HOME,
    deps: awsDeps(config, { ecs: new ECSClient({}), applicationAutoScaling: new ApplicationAutoScalingClient({}), autoscaling: new AutoScalingClient({}), cloudwatch: new CloudWatchClient({}), dynamo: new DynamoDBClient({}) }, 'scaler-state'),
  });
  const mutatingCalls = () => ecs.commandCalls(UpdateServiceCommand).length + autoscaling.commandCalls(SetDesiredCapacityCommand).length + db.commandCalls(PutCommand).length;
  const restore = () => [ecs, scalableTargets, autoscaling, cloudwatch, db].forEach((m) => m.restore());
  return { ecs, scalableTargets, autoscaling, cloudwatch, db, model, clock, runtime, mutatingCalls, restore };
}
