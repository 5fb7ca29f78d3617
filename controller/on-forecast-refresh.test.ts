import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GetMetricDataCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, parseControllerConfig } from '../core';
import { createRuntime } from '../aws';
import { CHAT_FARGATE, fakeAws, recordingLog } from '../aws/testing';
import { runForecastRefresh } from './on-forecast-refresh';
import { runScheduled } from './on-schedule';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8'));
const NOW = Date.parse(fixture('scheduled-event').time) / 1000;
const DAY = 86_400;
/** Two days of a daily cycle of connections, one minute apart, as the fleet totals CloudWatch returns. */
const load = (t: number) => 14_000 + 6000 * Math.sin((2 * Math.PI * t) / DAY);

const config = parseControllerConfig({
  targets: [
    {
      ...CHAT_FARGATE,
      minCapacity: 2,
      maxCapacity: 60,
      policies: [
        { type: 'predictive', name: 'forecast', connectionsPerUnit: 1000, bandQuantile: 0.9, scaleInThresholdPercent: 10 },
        { type: 'target-tracking', name: 'reactive', targetPerUnit: 900, scaleIn: { selectPolicy: 'Disabled' } },
      ],
    },
  ],
});

let aws = fakeAws();
afterEach(() => aws.restore());

/** Up to ±`size` relative jitter at time `t`, the same on every call. */
const jitter = (t: number, size: number) => size * (2 * (Math.abs(Math.sin(t * 12.9898) * 43_758.5453) % 1) - 1);

/** CloudWatch with two days of the metric, one datapoint every `minutes` minutes, with up to ±`noise` relative jitter. */
function withHistory(minutes = 1, noise = 0) {
  const every = minutes * 60;
  aws = fakeAws({ ecsDesired: 10 });
  aws.cloudwatch.on(GetMetricDataCommand).callsFake((input) => {
    const from = Math.max(input.StartTime.getTime() / 1000, NOW - 2 * DAY);
    const to = input.EndTime.getTime() / 1000;
    const Timestamps: Date[] = [];
    const Values: number[] = [];
    for (let t = Math.ceil(from / every) * every; t < to; t += every) {
      Timestamps.push(new Date(t * 1000));
      Values.push(load(t) * (1 + jitter(t, noise)));
    }
    const queries: Array<{ Id: string; Expression?: string }> = input.MetricDataQueries;
    if (queries[0]?.Expression !== undefined) return { MetricDataResults: [{ Id: 'connections', Timestamps, Values }] };
    // Read unit by unit: each of the tasks carries an equal share, newest first as asked.
    const newestFirst = input.ScanBy === 'TimestampDescending';
    const share = (values: number[]) => (newestFirst ? [...values].reverse() : values).map((v) => v / queries.length);
    return { MetricDataResults: queries.map((q) => ({ Id: q.Id, Timestamps: newestFirst ? [...Timestamps].reverse() : Timestamps, Values: share(Values) })) };
  });
  return aws;
}

describe('forecast refresh', () => {
  it('fits on the history, stores the model and publishes the hour until the next refresh beside the real metric', async () => {
    withHistory();
    const report = await runForecastRefresh(fixture('scheduled-event'), aws.runtime(config), recordingLog());
    expect(report.failed).toEqual([]);
    // From the clock's minute until the next refresh is due: 60 minutes, point and upper each.
    expect(report.refreshed[0]).toMatchObject({ target: 'chat-fargate', history: 14 * 24 * 60, published: 2 * 60 });
    expect(aws.db.commandCalls(PutCommand).map((c) => c.args[0].input.Item?.pk)).toEqual(['forecast#chat-fargate']);
    // The model's band is the one the policy asks for, not the fitter's default.
    const stored = JSON.parse(String(aws.db.commandCalls(PutCommand)[0]!.args[0].input.Item?.model));
    expect(stored.quantile).toBe(0.9);
    const puts = aws.cloudwatch.commandCalls(PutMetricDataCommand).map((c) => c.args[0].input);
    expect(puts.every((p) => p.Namespace === 'Chat' && (p.MetricData?.length ?? 0) <= 500)).toBe(true);
    const first = puts[0]!.MetricData![0]!;
    expect(first).toMatchObject({ MetricName: 'ConnectionsForecast', Dimensions: [{ Name: 'TargetKind', Value: 'ecs-service' }, { Name: 'TargetName', Value: 'chat-fargate' }], Unit: 'Count' });
    expect(Math.abs(first.Value! - load(first.Timestamp!.getTime() / 1000)) / load(NOW)).toBeLessThan(0.02);
  });

  it('fits a metric that has a datapoint only every 5 minutes, reading it as held between them', async () => {
    withHistory(5);
    const log = recordingLog();
    const report = await runForecastRefresh(fixture('scheduled-event'), aws.runtime(config), log);
    expect(report.failed).toEqual([]);
    expect(log.lines.find((l) => l.message === 'forecast refreshed')!.extra).toMatchObject({ target: 'chat-fargate', sampleSteps: 5 });
    const stored = JSON.parse(String(aws.db.commandCalls(PutCommand)[0]!.args[0].input.Item?.model));
    expect(stored.sampleSteps).toBe(5);
  });

  it('averages out the jitter of a noisy metric, and logs and stores how', async () => {
    withHistory(1, 0.1);
    const log = recordingLog();
    await runForecastRefresh(fixture('scheduled-event'), aws.runtime(config), log);
    const stored = JSON.parse(String(aws.db.commandCalls(PutCommand)[0]!.args[0].input.Item?.model));
    expect(stored.tracking.level).toBeLessThan(1);
    expect(log.lines.find((l) => l.message === 'forecast refreshed')!.extra.tracking).toEqual(stored.tracking);
  });

  it('keeps the stored model\'s choice of method an hour later, and scores the candidates afresh a day later', async () => {
    withHistory(1, 0.1);
    const event = fixture('scheduled-event');
    const at = (seconds: number) => ({ ...event, time: new Date((NOW + seconds) * 1000).toISOString().replace('.000', '') });
    const storedModel = (call: number) => JSON.parse(String(aws.db.commandCalls(PutCommand)[call]!.args[0].input.Item?.model));
    const start = aws.clock.now;
    for (const later of [0, 3600, DAY]) {
      aws.clock.now = start + later;
      await runForecastRefresh(at(later), aws.runtime(config), recordingLog());
    }
    expect(aws.db.commandCalls(GetCommand).filter((c) => c.args[0].input.Key?.pk === 'forecast#chat-fargate')).toHaveLength(3);
    const [first, hourLater, dayLater] = [0, 1, 2].map(storedModel);
    expect(first.selectedAt).toBeGreaterThan(NOW - 120);
    expect(hourLater.selectedAt).toBe(first.selectedAt);
    expect(hourLater.scores).toEqual(first.scores);
    expect(dayLater.selectedAt).toBeGreaterThan(first.selectedAt + DAY - 120);
  });

  it('reports a target with too little history and goes on', async () => {
    aws = fakeAws();
    const report = await runForecastRefresh(fixture('scheduled-event'), aws.runtime(config), recordingLog());
    expect(report.failed[0]!.error).toMatch(/^InvalidInputError: forecasting needs at least 24 hours of datapoints, got 0\.0 hours/);
    expect(aws.cloudwatch.commandCalls(PutMetricDataCommand)).toHaveLength(0);
  });
});

describe('scheduled evaluation with a predictive policy', () => {
  it('abstains before the first refresh, then scales ahead of the forecast', async () => {
    withHistory();
    const rt = aws.runtime(config);
    const before = await runScheduled(fixture('scheduled-event'), rt, recordingLog());
    expect(before.evaluated[0]).toMatchObject({ current: 10 });
    await runForecastRefresh(fixture('scheduled-event'), rt, recordingLog());
    const later = { ...fixture('scheduled-event'), time: new Date((NOW + 60) * 1000).toISOString() };
    const log = recordingLog();
    const after = await runScheduled(later, rt, log);
    // load(NOW) is ~14,000 connections: the forecast's upper band needs at least 15 units of 1,000.
    expect(after.evaluated[0]!.desired).toBeGreaterThanOrEqual(15);
    const proposals = log.lines.find((l) => l.extra.target === 'chat-fargate')!.extra.proposals as Array<{ policy: string; reason: string }>;
    expect(proposals.find((p) => p.policy === 'forecast')!.reason).toMatch(/^Predictive/);
    expect(aws.ecs.commandCalls(UpdateServiceCommand).length).toBeGreaterThan(0);
  });

  it('reads back far enough to see the last two updates of a metric that updates every 30 minutes', async () => {
    withHistory(30);
    const rt = aws.runtime(config);
    await runForecastRefresh(fixture('scheduled-event'), rt, recordingLog());
    aws.cloudwatch.resetHistory();
    aws.clock.now = NOW + 60;
    await runScheduled({ ...fixture('scheduled-event'), time: new Date((NOW + 60) * 1000).toISOString() }, rt, recordingLog());
    const starts = aws.cloudwatch.commandCalls(GetMetricDataCommand).map((c) => (NOW + 60 - c.args[0].input.StartTime!.getTime() / 1000) / 60);
    expect(Math.max(...starts)).toBeGreaterThanOrEqual(60);
  });
});

describe('runtime', () => {
  const configFile = (content: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'scaler-runtime-'));
    writeFileSync(join(dir, 'scaler.config.json'), content);
    return dir;
  };

  it('refuses to start without its table, or without the configuration file, saying how to provide it', () => {
    expect(() => createRuntime({}, configFile('{}'))).toThrow(ConfigError);
    expect(() => createRuntime({}, configFile('{}'))).toThrow('SCALER_STATE_TABLE: must name the DynamoDB state table');
    expect(() => createRuntime({ SCALER_STATE_TABLE: 't' }, tmpdir())).toThrow(/no controller configuration at .*scaler\.config\.json: create scaler\.config\.json .* or set SCALER_CONFIG to its path/);
  });

  it('reads the file SCALER_CONFIG names, as the stack does, and refuses an invalid one before handling any event', () => {
    const dir = configFile('{"targets":[]}');
    expect(() => createRuntime({ SCALER_STATE_TABLE: 't' }, dir)).toThrow('targets: at least one target is required');
    writeFileSync(join(dir, 'other.json'), '{oops');
    expect(() => createRuntime({ SCALER_CONFIG: 'other.json', SCALER_STATE_TABLE: 't' }, dir)).toThrow(/other\.json is not valid JSON/);
    expect(createRuntime({ SCALER_CONFIG: resolve('scaler.config.json'), SCALER_STATE_TABLE: 't' }, dir).config.targets.map((t) => t.name)).toEqual(['chat-fargate', 'chat-ec2']);
  });
});
