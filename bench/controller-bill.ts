// The controller's own monthly bill, per target, for 1, 10 and 100 targets: the calls its handlers make
// (measured by controller-calls.ts on the real handlers, AWS mocked at the SDK), the chat nodes' metric
// publishing (measured on the node's own publisher) and the resources the stacks create, priced at AWS's
// public list prices; beside it, the unit-hours the backtests save.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { PUBLISH_SECONDS } from '../contract/connections';
import { alarmsOf, parseControllerConfig, type ControllerConfig, type TargetConfig } from '../core';
import { connectionsRecord, metricsOfRecord } from '../chat/connection-metrics';
import { forecastReaders, tunedTargets } from '../controller';
import { MEMORY_MB, type ControllerFunction } from '../stacks/controller-sizing';
import { BACKTEST_DEFAULTS, defaultBacktestOptions, runBacktest } from '../backtest';
import { loadTrace } from '../cli/io';
import type { InvocationCost } from './controller-calls';

/** us-east-1 list prices (USD), December 2026; free tiers left out. */
export const PRICES = {
  lambdaArmGbSecond: 0.0000133334,
  lambdaRequest: 0.2 / 1e6,
  getMetricDataMetric: 0.01 / 1000,
  putMetricDataRequest: 0.01 / 1000,
  customMetricMonth: 0.3,
  /** A standard-resolution alarm, per metric it evaluates. */
  alarmMetricMonth: 0.1,
  dashboardMonth: 3,
  logsIngestedGb: 0.5,
  dynamoWriteUnit: 0.625 / 1e6,
  dynamoReadUnit: 0.125 / 1e6,
  /** Scheduled rules and AWS services' events on the default bus carry no charge. */
  eventBridgeEvent: 0,
  /** A Fargate task of 0.5 vCPU and 1 GB (the chat's task size): 0.5 x $0.04048 + 1 x $0.004445 per hour. */
  fargateTaskHour: 0.5 * 0.04048 + 0.004445,
};

const MONTH_SECONDS = 30 * 86_400;
/** The round trip of one AWS call from a Lambda in its region, which the mocks answer at once. */
export const AWS_CALL_SECONDS = 0.02;
/** Event-driven work depends on the traffic, not the controller: these rates are assumptions, said so. */
export const ASSUMED = { alarmTransitionsPerAlarmDay: 6, terminationsPerGroupDay: 20 };

export interface BillLine {
  readonly item: string;
  readonly monthly: number;
  readonly basis: string;
}

/** N targets like the shipped ones, in turn (each with its own names), as a deployed stage names them. */
export function fleetOf(shipped: ControllerConfig, n: number): ControllerConfig {
  const targets = Array.from({ length: n }, (_, i) => {
    const t = structuredClone(shipped.targets[i % shipped.targets.length]!) as TargetConfig;
    const name = `t${i}-${t.name}`;
    const resource = t.kind === 'ec2-asg' ? { autoScalingGroupName: name } : { cluster: 'chat', service: name };
    return { ...t, name, resource, policies: t.policies.map((p) => ({ ...p, ...((p as { alarm?: object }).alarm ? { alarm: { ...(p as { alarm: object }).alarm, name: undefined } } : {}) })) };
  });
  return parseControllerConfig(JSON.parse(JSON.stringify({ targets })));
}

/** What each kind of invocation costs, measured on the real handlers in a child process. */
function measureInvocations(config: ControllerConfig, units: number, withRetune: boolean): Record<string, InvocationCost> {
  const dir = mkdtempSync(join(tmpdir(), 'scaler-bill-'));
  try {
    const file = join(dir, 'scaler.config.json');
    writeFileSync(file, JSON.stringify(config));
    const out = execFileSync(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, 'controller-calls.ts'), file, String(units)], {
      encoding: 'utf8',
      env: { ...process.env, BILL_SKIP_RETUNE: withRetune ? '0' : '1' },
      stdio: ['ignore', 'pipe', 'ignore'],
      maxBuffer: 64 * 1024 * 1024,
    });
    return JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, InvocationCost>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The chat nodes' publishing, on the node's own records: bytes a month per unit into CloudWatch Logs, and
 * the metrics those records stand for, per target and shared by the stage.
 */
function chatPublishing(units: number): { bytesPerUnitMonth: number; metricsPerTarget: number; metricsPerStage: number } {
  const node = (target: string, unit: number) => ({ serviceName: 'chat', targetKind: 'ecs-service', targetName: target, unitId: `0123456789abcdef0123456789abcd${String(unit).padStart(2, '0')}` });
  const record = (target: string, unit: number) => connectionsRecord(123, new Date(), node(target, unit));
  const all = new Set(Array.from({ length: units }, (_, u) => metricsOfRecord(record('t0-chat-fargate', u))).flat());
  const otherTarget = new Set(metricsOfRecord(record('t1-chat-fargate', 0)));
  const shared = [...all].filter((m) => otherTarget.has(m)).length;
  // A log event is billed with 26 bytes of overhead beside its message.
  const bytesPerRecord = Buffer.byteLength(`${record('t0-chat-fargate', 0)}\n`) + 26;
  return { bytesPerUnitMonth: (MONTH_SECONDS / PUBLISH_SECONDS) * bytesPerRecord, metricsPerTarget: all.size - shared, metricsPerStage: shared };
}

/** The bill of one stage with `config`'s targets, each with `units` units on average. */
export function controllerBill(config: ControllerConfig, units: number, retunePerTarget: InvocationCost | undefined): BillLine[] {
  const measured = measureInvocations(config, units, false);
  const targets = config.targets.length;
  const tuned = tunedTargets(config.targets).length;
  const alarms = config.targets.reduce((n, t) => n + alarmsOf(t).length, 0);
  const groups = config.targets.filter((t) => t.kind === 'ec2-asg').length;
  const invocations: Partial<Record<ControllerFunction, number>> = {
    Evaluate: MONTH_SECONDS / 60,
    OnAlarm: alarms * ASSUMED.alarmTransitionsPerAlarmDay * 30,
    RefreshForecast: MONTH_SECONDS / 3600,
    DrainInstance: groups * ASSUMED.terminationsPerGroupDay * 30,
  };
  // The re-tuning does the same for each tuned target, one after another: measured on one, counted for each.
  const perInvocation: Partial<Record<ControllerFunction, InvocationCost>> = { ...measured };
  if (retunePerTarget !== undefined && tuned > 0) {
    invocations.Retune = 30;
    perInvocation.Retune = scaled(retunePerTarget, tuned);
  }
  const sum = (f: (c: InvocationCost, n: number, fn: ControllerFunction) => number) =>
    (Object.keys(invocations) as ControllerFunction[]).reduce((s, fn) => s + (perInvocation[fn] === undefined ? 0 : f(perInvocation[fn], invocations[fn]!, fn)), 0);

  const gbSeconds = sum((c, n, fn) => n * (c.msPerInvocation / 1000 + c.waitSecondsPerInvocation + c.callsPerInvocation * AWS_CALL_SECONDS) * (MEMORY_MB[fn] / 1024));
  const requests = sum((_, n) => n);
  const metricsRead = sum((c, n) => n * c.metricsReadPerInvocation);
  const forecastPuts = sum((c, n) => n * c.putMetricDataPerInvocation);
  const readUnits = sum((c, n) => n * c.readUnitsPerInvocation);
  const writeUnits = sum((c, n) => n * c.writeUnitsPerInvocation);
  const logBytes = sum((c, n) => n * c.logBytesPerInvocation);
  const emf = new Set(Object.values(perInvocation).flatMap((c) => c.emfMetrics)).size;
  const chat = chatPublishing(units);
  const forecastMetrics = 2 * config.targets.filter((t) => forecastReaders(t).length > 0).length;
  const customMetrics = targets * chat.metricsPerTarget + chat.metricsPerStage + forecastMetrics + emf;
  // Each connection alarm reads one metric (Average), or one through a math expression (Sum); the
  // controller's own: the failed events, and its functions' errors and throttles summed (one metric each).
  const functions = Object.keys(invocations).length;
  const alarmMetrics = alarms + 1 + 2 * functions;
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  return [
    { item: 'Lambda GB-seconds', monthly: gbSeconds * PRICES.lambdaArmGbSecond, basis: `${n(gbSeconds)} GB-s (measured run time + ${AWS_CALL_SECONDS * 1000} ms per AWS call + the drain's waits)` },
    { item: 'Lambda requests', monthly: requests * PRICES.lambdaRequest, basis: `${n(requests)} invocations` },
    { item: 'GetMetricData', monthly: metricsRead * PRICES.getMetricDataMetric, basis: `${n(metricsRead)} metrics read` },
    { item: 'PutMetricData (forecasts)', monthly: forecastPuts * PRICES.putMetricDataRequest, basis: `${n(forecastPuts)} requests` },
    { item: "chat nodes' metric records", monthly: ((targets * units * chat.bytesPerUnitMonth) / 1e9) * PRICES.logsIngestedGb, basis: `${(chat.bytesPerUnitMonth / 1e6).toFixed(0)} MB of log per unit (one record every ${PUBLISH_SECONDS} s), no PutMetricData` },
    { item: 'custom metrics', monthly: customMetrics * PRICES.customMetricMonth, basis: `${n(customMetrics)}: ${chat.metricsPerTarget} per target from the nodes, ${forecastMetrics} forecasts, ${emf} EMF` },
    { item: 'alarms', monthly: alarmMetrics * PRICES.alarmMetricMonth, basis: `${alarms} connection alarms + 3 of the controller's own (${alarmMetrics} alarm metrics)` },
    { item: 'dashboards', monthly: targets * PRICES.dashboardMonth, basis: `${targets} (one per target)` },
    { item: 'DynamoDB on demand', monthly: readUnits * PRICES.dynamoReadUnit + writeUnits * PRICES.dynamoWriteUnit, basis: `${n(readUnits)} read + ${n(writeUnits)} write request units` },
    { item: 'CloudWatch Logs', monthly: (logBytes / 1e9) * PRICES.logsIngestedGb, basis: `${(logBytes / 1e9).toFixed(2)} GB ingested` },
    { item: 'EventBridge', monthly: requests * PRICES.eventBridgeEvent, basis: `${n(requests)} events: schedules and AWS service events are free` },
  ];
}

function scaled(c: InvocationCost, k: number): InvocationCost {
  return {
    ...c,
    msPerInvocation: c.msPerInvocation * k,
    callsPerInvocation: c.callsPerInvocation * k,
    metricsReadPerInvocation: c.metricsReadPerInvocation * k,
    putMetricDataPerInvocation: c.putMetricDataPerInvocation * k,
    readUnitsPerInvocation: c.readUnitsPerInvocation * k,
    writeUnitsPerInvocation: c.writeUnitsPerInvocation * k,
    logBytesPerInvocation: c.logBytesPerInvocation * k,
  };
}

/** One tuned target's daily re-tuning, measured on its own. */
export function retuneOfOneTarget(shipped: ControllerConfig, units: number): InvocationCost | undefined {
  const tuned = tunedTargets(shipped.targets)[0];
  if (tuned === undefined) return undefined;
  return measureInvocations(fleetOf({ ...shipped, targets: [tuned] }, 1), units, true).Retune;
}

/** Unit-hours a month that ours saves against AWS target tracking and a well-tuned HPA, per target, on each trace. */
export function unitHoursSaved(traces: readonly string[]): Array<{ trace: string; meanUnits: number; vsTracking: number; vsHpa: number }> {
  return traces.map((path) => {
    const results = runBacktest(loadTrace(path, BACKTEST_DEFAULTS.mean), ['ours', 'aws-target-tracking', 'hpa'], defaultBacktestOptions());
    const perMonth = (policy: string) => {
      const m = results.find((r) => r.policy === policy)!.metrics;
      return (m.unitHours / m.days) * 30;
    };
    const ours = perMonth('ours');
    return { trace: basename(path), meanUnits: ours / (30 * 24), vsTracking: perMonth('aws-target-tracking') - ours, vsHpa: perMonth('hpa') - ours };
  });
}

export function shippedConfig(): ControllerConfig {
  return parseControllerConfig(JSON.parse(readFileSync(resolve(import.meta.dirname, '../scaler.config.json'), 'utf8')));
}
