// Runs the controller's real handlers on N targets against AWS mocked at the SDK, and prints as JSON what
// each kind of invocation did: its AWS calls (with the metrics read and written, the items' sizes), its
// duration, its log bytes and the EMF metrics it emitted. Run by controller-bill.ts in a child process,
// one per N, since each handler caches its configuration per process, as a Lambda container does.
// Usage: tsx bench/controller-calls.ts <config.json> <units per target>  (BILL_SKIP_RETUNE=1 leaves the re-tuning out)
import { readFileSync } from 'node:fs';
import { ApplicationAutoScalingClient, DescribeScalableTargetsCommand } from '@aws-sdk/client-application-auto-scaling';
import { AutoScalingClient, CompleteLifecycleActionCommand, DescribeAutoScalingGroupsCommand, SetDesiredCapacityCommand, SetInstanceProtectionCommand } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand, PutMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { DescribeServicesCommand, ECSClient, ListTasksCommand, UpdateServiceCommand, UpdateTaskProtectionCommand } from '@aws-sdk/client-ecs';
import { GetCommandInvocationCommand, SendCommandCommand, SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { alarmsOf, type ControllerConfig } from '../core';
import { drainTimings } from '../contract/drain';
import { DEFAULT_DRAIN, runTerminateAction } from '../kinds';
import { recordingLog } from '../aws/testing';

export interface InvocationCost {
  readonly invocations: number;
  /** Wall-clock milliseconds per invocation here, with AWS answering at once. */
  readonly msPerInvocation: number;
  /** Seconds per invocation spent waiting on purpose (the drain's polls), which Lambda bills too. */
  readonly waitSecondsPerInvocation: number;
  /** Per invocation: AWS calls, metrics read by GetMetricData, datapoints put, DynamoDB request units, log bytes. */
  readonly callsPerInvocation: number;
  readonly metricsReadPerInvocation: number;
  readonly putMetricDataPerInvocation: number;
  readonly readUnitsPerInvocation: number;
  readonly writeUnitsPerInvocation: number;
  readonly logBytesPerInvocation: number;
  /** The EMF metrics (namespace, name and dimensions) the invocations emitted. */
  readonly emfMetrics: string[];
}

const [configFile, unitsArg] = process.argv.slice(2);
const config = JSON.parse(readFileSync(configFile!, 'utf8')) as ControllerConfig;
const UNITS = Number(unitsArg);
const MINUTE = 60;

process.env.SCALER_CONFIG = configFile;
process.env.SCALER_STATE_TABLE = 'bench-state';
process.env.AWS_REGION = 'us-east-1';
process.env.POWERTOOLS_DEV = 'false';

/** A fleet's connections at time t: a daily wave around 70% of what its units serve. */
const load = (t: number) => UNITS * 700 * (0.75 + 0.2 * Math.sin((2 * Math.PI * t) / 86_400));

const counts = { calls: 0, metricsRead: 0, putRequests: 0, readUnits: 0, writeUnits: 0 };
/** Counts one call and answers it as the SDK does, with a promise. */
const count = <T>(answer: T, add: Partial<typeof counts> = {}): Promise<T> => {
  counts.calls += 1;
  for (const [k, v] of Object.entries(add)) counts[k as keyof typeof counts] += v;
  return Promise.resolve(answer);
};

// The platform: each ECS service and Auto Scaling group with UNITS units, scaled as told.
const desired = new Map<string, number>();
const ecs = mockClient(ECSClient);
ecs.on(DescribeServicesCommand).callsFake((input: { services: string[] }) => count({ services: input.services.map((s) => ({ serviceName: s, desiredCount: desired.get(s) ?? UNITS, runningCount: desired.get(s) ?? UNITS })) }));
ecs.on(UpdateServiceCommand).callsFake((input: { service: string; desiredCount: number }) => {
  desired.set(input.service, input.desiredCount);
  return count({});
});
ecs.on(ListTasksCommand).callsFake((input: { cluster: string; serviceName: string }) => count({ taskArns: Array.from({ length: desired.get(input.serviceName) ?? UNITS }, (_, i) => `arn:aws:ecs:us-east-1:123456789012:task/${input.cluster}/${input.serviceName}${i}`) }));
ecs.on(UpdateTaskProtectionCommand).callsFake(() => count({}));
mockClient(ApplicationAutoScalingClient).on(DescribeScalableTargetsCommand).callsFake(() => count({ ScalableTargets: [] }));
const autoscaling = mockClient(AutoScalingClient);
autoscaling.on(DescribeAutoScalingGroupsCommand).callsFake((input: { AutoScalingGroupNames: string[] }) =>
  count({
    AutoScalingGroups: input.AutoScalingGroupNames.map((name) => ({
      AutoScalingGroupName: name,
      DesiredCapacity: desired.get(name) ?? UNITS,
      MinSize: 1,
      MaxSize: 1000,
      Instances: Array.from({ length: desired.get(name) ?? UNITS }, (_, i) => ({ InstanceId: `i-${(i + 1).toString(16).padStart(17, '0')}`, LifecycleState: 'InService' })),
    })),
  }),
);
autoscaling.on(SetDesiredCapacityCommand).callsFake((input: { AutoScalingGroupName: string; DesiredCapacity: number }) => {
  desired.set(input.AutoScalingGroupName, input.DesiredCapacity);
  return count({});
});
autoscaling.on(SetInstanceProtectionCommand).callsFake(() => count({}));
autoscaling.on(CompleteLifecycleActionCommand).callsFake(() => count({}));

// CloudWatch: a SEARCH requests every unit's metric of the target; a metric stat requests one.
const cloudwatch = mockClient(CloudWatchClient);
cloudwatch.on(GetMetricDataCommand).callsFake((input: { MetricDataQueries: MetricDataQuery[]; StartTime: Date; EndTime: Date }) => {
  const from = Math.ceil(input.StartTime.getTime() / 1000 / MINUTE) * MINUTE;
  const to = input.EndTime.getTime() / 1000;
  const minutes: number[] = [];
  for (let t = from; t < to; t += MINUTE) minutes.push(t);
  const requested = input.MetricDataQueries.reduce((n, q) => n + (q.Expression?.includes('SEARCH') ? UNITS : q.MetricStat ? 1 : 0), 0);
  return count(
    {
      MetricDataResults: input.MetricDataQueries.map((q) => {
        const perUnit = q.MetricStat?.Metric?.Dimensions?.some((d) => d.Name === 'UnitId');
        const series = perUnit ? minutes.slice(-1) : minutes;
        return { Id: q.Id, Timestamps: series.map((t) => new Date(t * 1000)), Values: series.map((t) => (perUnit ? load(t) / UNITS : q.Expression ? load(t) : load(t) / UNITS)), StatusCode: 'Complete' };
      }),
    },
    { metricsRead: requested },
  );
});
cloudwatch.on(DescribeAlarmsCommand).callsFake((input: { AlarmNames: string[] }) => count({ MetricAlarms: input.AlarmNames.map((AlarmName) => ({ AlarmName, StateValue: 'OK' })) }));
cloudwatch.on(PutMetricDataCommand).callsFake(() => count({}, { putRequests: 1 }));

// DynamoDB on demand: a write costs 1 unit per KB of item, an eventually consistent read half a unit per 4 KB.
const table = new Map<string, unknown>();
const itemBytes = (item: unknown) => Buffer.byteLength(JSON.stringify(item ?? {}));
const db = mockClient(DynamoDBDocumentClient);
db.on(GetCommand).callsFake((input: { Key: { pk: string } }) => {
  const Item = table.get(input.Key.pk);
  return count({ Item }, { readUnits: 0.5 * Math.max(1, Math.ceil(itemBytes(Item) / 4096)) });
});
db.on(PutCommand).callsFake((input: { Item: { pk: string } }) => {
  table.set(input.Item.pk, structuredClone(input.Item));
  return count({}, { writeUnits: Math.max(1, Math.ceil(itemBytes(input.Item) / 1024)) });
});

// The drain: the node stops within its drain window, which the handler's polls wait out.
const ssm = mockClient(SSMClient);
const drainSeconds = drainTimings().drainWindowSeconds;
let polled = 0;
ssm.on(SendCommandCommand).callsFake(() => {
  polled = 0;
  return count({ Command: { CommandId: 'cmd' } });
});
ssm.on(GetCommandInvocationCommand).callsFake(() => {
  polled += 1;
  return count({ Status: polled * DEFAULT_DRAIN.pollSeconds >= drainSeconds ? 'Success' : 'InProgress' });
});

// What the handlers write: their JSON logs and EMF records.
let logBytes = 0;
const emf = new Set<string>();
const write = process.stdout.write.bind(process.stdout);
let capturing = false;
process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
  if (!capturing) return write(chunk as string, ...(rest as []));
  const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  logBytes += Buffer.byteLength(text);
  for (const line of text.split('\n').filter((l) => l.startsWith('{'))) {
    const record = JSON.parse(line) as Record<string, unknown> & { _aws?: { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string }> }> } };
    for (const directive of record._aws?.CloudWatchMetrics ?? []) {
      for (const dims of directive.Dimensions) for (const m of directive.Metrics) emf.add(`${directive.Namespace}/${m.Name} ${dims.map((d) => `${d}=${String(record[d])}`).join(',')}`);
    }
  }
  return true;
}) as typeof process.stdout.write;

const context = (name: string) => ({ functionName: name, invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${name}`, awsRequestId: 'bench', memoryLimitInMB: '512', functionVersion: '$LATEST', logGroupName: name, logStreamName: 'bench', getRemainingTimeInMillis: () => 60_000 }) as unknown as Context;
const at = () => new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
const scheduled = () => ({ version: '0', id: crypto.randomUUID(), 'detail-type': 'Scheduled Event', source: 'aws.events', account: '123456789012', time: at(), region: 'us-east-1', resources: ['arn:aws:events:us-east-1:123456789012:rule/bench'], detail: {} });
const alarmEvent = (alarmName: string) => ({
  version: '0',
  id: crypto.randomUUID(),
  'detail-type': 'CloudWatch Alarm State Change',
  source: 'aws.cloudwatch',
  account: '123456789012',
  time: at(),
  region: 'us-east-1',
  resources: [`arn:aws:cloudwatch:us-east-1:123456789012:alarm:${alarmName}`],
  detail: { alarmName, previousState: { value: 'OK', timestamp: at() }, state: { value: 'ALARM', timestamp: at(), reason: 'bench', reasonData: JSON.stringify({ threshold: 700, recentDatapoints: [900] }) } },
});

async function measure(invocations: number, invoke: () => Promise<number | void>): Promise<InvocationCost> {
  Object.keys(counts).forEach((k) => (counts[k as keyof typeof counts] = 0));
  logBytes = 0;
  emf.clear();
  let waited = 0;
  capturing = true;
  const start = performance.now();
  try {
    for (let i = 0; i < invocations; i++) waited += (await invoke()) ?? 0;
  } finally {
    capturing = false;
  }
  const per = (x: number) => x / invocations;
  return {
    invocations,
    msPerInvocation: per(performance.now() - start),
    waitSecondsPerInvocation: per(waited),
    callsPerInvocation: per(counts.calls),
    metricsReadPerInvocation: per(counts.metricsRead),
    putMetricDataPerInvocation: per(counts.putRequests),
    readUnitsPerInvocation: per(counts.readUnits),
    writeUnitsPerInvocation: per(counts.writeUnits),
    logBytesPerInvocation: per(logBytes),
    emfMetrics: [...emf].sort(),
  };
}

const run = async (module: string, event: () => unknown) => {
  const { handler } = (await import(module)) as { handler: (event: unknown, context: Context) => Promise<unknown> };
  return () => handler(event(), context(module)).then(() => undefined);
};

const asgs = config.targets.filter((t) => t.kind === 'ec2-asg');
const alarmName = config.targets.flatMap((t) => alarmsOf(t).map((a) => a.name))[0];
const results: Record<string, InvocationCost> = {
  Evaluate: await measure(10, await run('../functions/scheduled.ts', scheduled)),
  ...(alarmName === undefined ? {} : { OnAlarm: await measure(10, await run('../functions/handlers/alarm.ts', () => alarmEvent(alarmName))) }),
  RefreshForecast: await measure(1, await run('../functions/handlers/forecast.ts', scheduled)),
  ...(process.env.BILL_SKIP_RETUNE === '1' ? {} : { Retune: await measure(1, await run('../functions/handlers/retune.ts', scheduled)) }),
  ...(asgs.length === 0
    ? {}
    : {
        DrainInstance: await measure(5, async () => {
          let waited = 0;
          const event = {
            version: '0',
            id: crypto.randomUUID(),
            'detail-type': 'EC2 Instance-terminate Lifecycle Action',
            source: 'aws.autoscaling',
            account: '123456789012',
            time: at(),
            region: 'us-east-1',
            resources: [],
            detail: { LifecycleActionToken: crypto.randomUUID(), AutoScalingGroupName: asgs[0]!.resource.autoScalingGroupName, LifecycleHookName: 'chat-drain', EC2InstanceId: 'i-0123456789abcdef0', LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING' },
          };
          const clients = { autoscaling: new AutoScalingClient({}), ssm: new SSMClient({}), home: { account: '123456789012', region: 'us-east-1' }, clock: () => Date.now() / 1000, groups: asgs.map((t) => t.resource.autoScalingGroupName!) };
          await runTerminateAction(event, clients, recordingLog(), { ...DEFAULT_DRAIN, document: 'bench-drain', sleep: async (s) => void (waited += s) });
          return waited;
        }),
      }),
};
write(`${JSON.stringify(results)}\n`);
