import { isAbsolute, relative } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Cron, Function, Table, type StackContext } from 'sst/constructs';
import { alarmsOf } from '../core';
import { CONFIG_ENV, DEFAULT_CONFIG_FILE } from '../functions/config';
import { DEFAULT_DRAIN } from '../functions/handlers/lifecycle';
import { tunedTargets } from '../functions/retune';
import { autoScalingGroupsOf } from '../functions/targets/ec2-asg';
import { FUNCTION_BUNDLING } from './bundling';
import { DRAIN_HOOK_NAME } from './ChatEc2';
import { connectionAlarms } from './connection-alarms';
import { ACCEPTED_WILDCARDS, drainStatements, evaluationStatements, forecastStatements, retuneStatements } from './controller-permissions';
import { accept, LAMBDA_LOGS } from './nag';
import { scalingConfig } from './scaling-config';

/** The schedules the handlers run on: REFRESH_SECONDS in the forecast handler assumes the hourly one. */
export const EVALUATION_SCHEDULE = 'rate(1 minute)';
export const FORECAST_SCHEDULE = 'rate(1 hour)';
export const RETUNE_SCHEDULE = 'rate(1 day)';
/** The re-tuning's budget per target (the bench measures a search on 14 days of 1-minute history against it). */
export const RETUNE_SECONDS_PER_TARGET = 60;

/**
 * The scaling controller: its handlers, the schedules, alarms and rules that invoke them, the table
 * that keeps each target's state (cooldowns, warm-up, stabilization history, last decision) between
 * invocations, and a dead-letter queue for events that fail every retry. Everything follows the scaling
 * configuration, which each function carries in its bundle: it is validated here, at synth, and read by
 * the function at cold start, so what deploys is what runs, whatever its size (an environment variable
 * holds 4 KB at most, and a parameter store read would slow every cold start).
 */
export function Controller({ stack, app }: StackContext) {
  const { path, config } = scalingConfig(app);
  // The file goes into every bundle at the path it has in the project, which is also where `sst dev`
  // finds it (its functions run from the project root); a file from elsewhere goes in as the default name.
  const fromRoot = relative(process.cwd(), path);
  const bundledConfig = fromRoot.startsWith('..') || isAbsolute(fromRoot) ? DEFAULT_CONFIG_FILE : fromRoot;

  const state = new Table(stack, 'State', {
    fields: { pk: 'string' },
    primaryIndex: { partitionKey: 'pk' },
    cdk: { table: { pointInTimeRecovery: true } },
  });
  const failed = new Queue(stack, 'FailedEvents', { retentionPeriod: Duration.days(14), encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true });
  accept(failed, [{ id: 'AwsSolutions-SQS3', reason: 'This queue is the dead-letter queue of the controller events' }]);
  new Alarm(stack, 'FailedEventsAlarm', {
    alarmName: `${app.stage}-scaler-failed-events`,
    alarmDescription: 'A controller event failed every retry: read it from the FailedEvents queue, and the function logs',
    metric: failed.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
    threshold: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });

  const controllerFunction = (id: string, props: { handler: string; description: string; timeout: number; memorySize?: number; retryAttempts: number; statements: PolicyStatement[]; table?: boolean }) => {
    const fn = new Function(stack, id, {
      handler: `functions/handlers/${props.handler}.handler`,
      description: props.description,
      // Lambda's newest Node.js; the project is built and tested on Node 20, whose Lambda runtime is deprecated.
      runtime: 'nodejs24.x',
      architecture: 'arm_64',
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout,
      // Structured logs and EMF metrics tell what happened; X-Ray would need PutTraceSegments on "*".
      tracing: 'disabled',
      logGroup: new LogGroup(stack, `${id}Logs`, { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY }),
      nodejs: FUNCTION_BUNDLING,
      copyFiles: [{ from: fromRoot, to: bundledConfig }],
      environment: { [CONFIG_ENV]: bundledConfig, ...(props.table ? { SCALER_STATE_TABLE: state.tableName } : {}) },
      retryAttempts: props.retryAttempts,
      maxEventAge: Duration.minutes(10),
      onFailure: new SqsDestination(failed),
      permissions: [
        ...props.statements,
        // Only items, never the table: `bind` would grant dynamodb:* on it.
        ...(props.table ? [new PolicyStatement({ effect: Effect.ALLOW, actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], resources: [state.tableArn] })] : []),
      ],
    });
    accept(fn, [LAMBDA_LOGS, ...ACCEPTED_WILDCARDS]);
    return fn;
  };

  const evaluation = evaluationStatements(stack, config.targets);
  const scheduled = controllerFunction('Evaluate', {
    handler: 'scheduled',
    description: 'Every minute: evaluate every target (target tracking, predictive, lasting alarms) and apply',
    // A minute's evaluation must end before the next begins; a failed one is superseded, not retried.
    timeout: 50,
    retryAttempts: 0,
    statements: evaluation,
    table: true,
  });
  const alarm = controllerFunction('OnAlarm', {
    handler: 'alarm',
    description: 'A step policy alarm went into ALARM: apply its policy at once',
    timeout: 30,
    retryAttempts: 2,
    statements: evaluation,
    table: true,
  });
  const forecast = controllerFunction('RefreshForecast', {
    handler: 'forecast',
    description: 'Every hour: fit the forecaster on 14 days of connections, store the model, publish the forecast',
    timeout: 300,
    memorySize: 1024,
    retryAttempts: 1,
    statements: forecastStatements(),
    table: true,
  });
  const tuned = tunedTargets(config.targets);
  const retune =
    tuned.length === 0
      ? undefined
      : controllerFunction('Retune', {
          handler: 'retune',
          description: 'Every day: tune each target with an objective to it, on its own 14 days of connections',
          // Targets are tuned one after another, each within its budget; Lambda allows 15 minutes at most.
          timeout: Math.min(900, 30 + RETUNE_SECONDS_PER_TARGET * tuned.length),
          // The search is CPU-bound on one thread: 1,769 MB is where Lambda gives a whole vCPU.
          memorySize: 1769,
          retryAttempts: 1,
          statements: retuneStatements(),
          table: true,
        });
  const groupNames = autoScalingGroupsOf(config.targets);
  const lifecycle =
    groupNames.length === 0
      ? undefined
      : controllerFunction('DrainInstance', {
          handler: 'lifecycle',
          description: 'An ASG instance is terminating: drain its chat node through SSM, then let termination continue',
          // The drain waits on SSM for up to DEFAULT_DRAIN.timeoutSeconds; the rest is the calls around it.
          timeout: DEFAULT_DRAIN.timeoutSeconds + 45,
          retryAttempts: 1,
          statements: drainStatements(stack, groupNames),
        });

  // Events that EventBridge cannot deliver go to the same queue as those that fail in the function. An
  // evaluation is worth delivering for two minutes; after that the next one has superseded it.
  const delivery = (maxAgeMinutes: number) => ({ deadLetterQueue: failed, retryAttempts: 2, maxEventAge: Duration.minutes(maxAgeMinutes) });
  const target = (fn: Function) => new LambdaFunction(fn, delivery(10));
  new Cron(stack, 'EvaluateEveryMinute', { schedule: EVALUATION_SCHEDULE, job: { function: scheduled, cdk: { target: delivery(2) } } });
  new Cron(stack, 'RefreshForecastHourly', { schedule: FORECAST_SCHEDULE, job: { function: forecast, cdk: { target: delivery(10) } } });
  if (retune !== undefined) new Cron(stack, 'RetuneDaily', { schedule: RETUNE_SCHEDULE, job: { function: retune, cdk: { target: delivery(60) } } });

  const alarms = config.targets.flatMap((t) => connectionAlarms(stack, t));
  const alarmNames = config.targets.flatMap((t) => alarmsOf(t).map((a) => a.name));
  if (alarmNames.length > 0) {
    new Rule(stack, 'AlarmStateChanges', {
      description: 'A step policy alarm went into ALARM',
      eventPattern: { source: ['aws.cloudwatch'], detailType: ['CloudWatch Alarm State Change'], detail: { alarmName: alarmNames, state: { value: ['ALARM'] } } },
      targets: [target(alarm)],
    });
  }
  if (lifecycle !== undefined) {
    new Rule(stack, 'InstanceTerminating', {
      description: 'An instance of a chat ASG waits on the drain hook',
      eventPattern: {
        source: ['aws.autoscaling'],
        detailType: ['EC2 Instance-terminate Lifecycle Action'],
        detail: { AutoScalingGroupName: groupNames, LifecycleHookName: [DRAIN_HOOK_NAME] },
      },
      targets: [target(lifecycle)],
    });
  }

  stack.addOutputs({
    StateTable: state.tableName,
    FailedEventsQueue: failed.queueUrl,
    Targets: config.targets.map((t) => `${t.name} (${t.kind})`).join(', '),
  });
  return { state, failed, alarms, functions: { scheduled, alarm, forecast, retune, lifecycle } };
}
