import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, MathExpression, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Cron, dependsOn, Function, Table, use, type StackContext } from 'sst/constructs';
import { alarmsOf } from '../core';
import { CONFIG_ENV, DEFAULT_CONFIG_FILE, tunedTargets } from '../controller';
import { autoScalingGroupsOf, DEFAULT_DRAIN, DRAIN_DOCUMENT_ENV } from '../kinds';
import { FUNCTION_BUNDLING } from './bundling';
import { ChatEc2, DRAIN_HOOK_NAME } from './ChatEc2';
import { ChatFargate } from './ChatFargate';
import { connectionAlarms } from './connection-alarms';
import { MEMORY_MB, reservedConcurrency, type ControllerFunction } from './controller-sizing';
import { ACCEPTED_WILDCARDS, drainStatements, evaluationStatements, forecastStatements, retuneStatements } from './controller-permissions';
import { accept, LAMBDA_LOGS } from './nag';
import { alertEmails } from './deploy-settings';
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
  // The stage's own configuration goes into every bundle as scaler.config.json; under `sst dev` the
  // functions run from the project root, so they read it where the synth wrote it.
  const { file: stagedFile, config } = scalingConfig(app);
  const configEnv = app.mode === 'dev' ? stagedFile : DEFAULT_CONFIG_FILE;
  // Evaluations begin only once what they scale exists.
  dependsOn(ChatFargate);
  dependsOn(ChatEc2);
  const { drainDocument } = use(ChatEc2);
  const concurrency = reservedConcurrency(config);
  const alerts = alertTopic(stack, app.logicalPrefixedName('controller-alerts'));

  const state = new Table(stack, 'State', {
    fields: { pk: 'string' },
    primaryIndex: { partitionKey: 'pk' },
    cdk: { table: { pointInTimeRecovery: true } },
  });
  const failed = new Queue(stack, 'FailedEvents', { retentionPeriod: Duration.days(14), encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true });
  accept(failed, [{ id: 'AwsSolutions-SQS3', reason: 'This queue is the dead-letter queue of the controller events' }]);
  const failedEvents = new Alarm(stack, 'FailedEventsAlarm', {
    alarmName: app.logicalPrefixedName('failed-events'),
    alarmDescription: 'A controller event failed every retry: read it from the FailedEvents queue, and the function logs',
    metric: failed.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
    threshold: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });

  const controllerFunction = (id: ControllerFunction, props: { handler: string; description: string; timeout: number; retryAttempts: number; statements: PolicyStatement[]; table?: boolean; environment?: Record<string, string> }) => {
    const fn = new Function(stack, id, {
      handler: `functions/${props.handler}.handler`,
      description: props.description,
      // Lambda's newest Node.js; the project is built and tested on Node 20, whose Lambda runtime is deprecated.
      runtime: 'nodejs24.x',
      architecture: 'arm_64',
      memorySize: MEMORY_MB[id],
      timeout: props.timeout,
      // Structured logs and EMF metrics tell what happened; X-Ray would need PutTraceSegments on "*".
      tracing: 'disabled',
      logGroup: new LogGroup(stack, `${id}Logs`, { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY }),
      nodejs: FUNCTION_BUNDLING,
      copyFiles: [{ from: stagedFile, to: DEFAULT_CONFIG_FILE }],
      environment: { [CONFIG_ENV]: configEnv, ...(props.table ? { SCALER_STATE_TABLE: state.tableName } : {}), ...props.environment },
      reservedConcurrentExecutions: concurrency[id],
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
          retryAttempts: 1,
          statements: retuneStatements(),
          table: true,
        });
  const groupNames = autoScalingGroupsOf(config.targets);
  // The ChatEc2 stack makes the drain document exactly when a target is an Auto Scaling group.
  const lifecycle =
    drainDocument === undefined
      ? undefined
      : controllerFunction('DrainInstance', {
          handler: 'lifecycle',
          description: 'An ASG instance is terminating: drain its chat node through SSM, then let termination continue',
          // The drain waits on SSM for up to DEFAULT_DRAIN.timeoutSeconds; the rest is the calls around it.
          timeout: DEFAULT_DRAIN.timeoutSeconds + 45,
          retryAttempts: 1,
          statements: drainStatements(stack, groupNames, drainDocument),
          environment: { [DRAIN_DOCUMENT_ENV]: drainDocument },
        });
  const functions = { scheduled, alarm, forecast, retune, lifecycle };
  const deployed = Object.values(functions).filter((fn): fn is Function => fn !== undefined);
  const lambdaErrors = controllerAlarm(stack, 'LambdaErrorsAlarm', app.logicalPrefixedName('controller-errors'), 'A controller function failed: read its logs (the dashboard shows which one)', sumOf(deployed.map((fn) => fn.metricErrors())));
  const throttles = controllerAlarm(stack, 'LambdaThrottlesAlarm', app.logicalPrefixedName('controller-throttles'), 'A controller function was throttled: raise its reserved concurrency, or the account\'s', sumOf(deployed.map((fn) => fn.metricThrottles())));
  for (const a of [failedEvents, lambdaErrors, throttles]) {
    a.addAlarmAction(new SnsAction(alerts));
    a.addOkAction(new SnsAction(alerts));
  }

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
    AlertTopic: alerts.topicArn,
    Targets: config.targets.map((t) => `${t.name} (${t.kind})`).join(', '),
  });
  return { state, failed, alarms, alerts: { topic: alerts, alarms: [failedEvents, lambdaErrors, throttles] }, functions };
}

/** Where the controller's own alarms go: an SNS topic, with the e-mail addresses SCALER_ALERT_EMAIL names. */
function alertTopic(stack: StackContext['stack'], topicName: string): Topic {
  const topic = new Topic(stack, 'Alerts', { topicName, displayName: 'realtime-scaler alerts', enforceSSL: true });
  for (const email of alertEmails()) topic.addSubscription(new EmailSubscription(email));
  accept(topic, [
    {
      id: 'AwsSolutions-SNS2',
      reason: "The topic carries alarm names and states, nothing secret; CloudWatch cannot publish to a topic under the AWS-managed SNS key, and a key of our own would cost more than the controller's alarms",
    },
  ]);
  return topic;
}

/** An alarm on the controller itself: any occurrence in five minutes. */
function controllerAlarm(stack: StackContext['stack'], id: string, alarmName: string, alarmDescription: string, metric: IMetric): Alarm {
  return new Alarm(stack, id, {
    alarmName,
    alarmDescription,
    metric,
    threshold: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}

/** One function's metric, or the sum over several (a metric-math alarm reads up to ten). */
function sumOf(metrics: IMetric[]): IMetric {
  const usingMetrics = Object.fromEntries(metrics.map((m, i) => [`m${i}`, m]));
  return new MathExpression({ expression: `SUM([${Object.keys(usingMetrics).join(',')}])`, usingMetrics, period: Duration.minutes(5), label: 'all controller functions' });
}
