import { readFileSync } from 'node:fs';
import { GetMetricDataCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { parseControllerConfig } from '../core';
import { runForecastRefresh } from './on-forecast-refresh';
import { runRetune } from './on-retune';
import { runScheduled } from './on-schedule';
import { CHAT_FARGATE, fakeAws, recordingLog } from '../aws/testing';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8'));
const EVENT = fixture('scheduled-event');
const NOW = Date.parse(EVENT.time) / 1000;
const DAY = 86_400;
const load = (t: number) => (14_000 + 6000 * Math.sin((2 * Math.PI * t) / DAY)) * (1 + 0.05 * Math.sin(t * 12.9898));

const configWith = (dryRun = false, mode = 'forecastAndScale') =>
  parseControllerConfig({
    dryRun,
    targets: [
      {
        ...CHAT_FARGATE,
        minCapacity: 2,
        maxCapacity: 60,
        objective: { maxUnderProvisionedPercent: 0.5, maxActionsPerDay: 300 },
        policies: [
          { type: 'predictive', name: 'forecast', mode, connectionsPerUnit: 1000, scaleInThresholdPercent: 30, scaleIn: { stabilizationSeconds: 180 } },
          { type: 'target-tracking', name: 'reactive', targetPerUnit: 900, scaleIn: { stabilizationSeconds: 180, selectPolicy: 'Disabled' } },
        ],
      },
    ],
  });

let aws = fakeAws();
afterEach(() => aws.restore());

/** CloudWatch with `days` of the fleet's connections, one datapoint a minute. */
function withHistory(days: number) {
  aws = fakeAws({ ecsDesired: 10 });
  aws.cloudwatch.on(GetMetricDataCommand).callsFake((input) => {
    const from = Math.max(input.StartTime.getTime() / 1000, NOW - days * DAY);
    const to = input.EndTime.getTime() / 1000;
    const Timestamps: Date[] = [];
    const Values: number[] = [];
    for (let t = Math.ceil(from / 60) * 60; t < to; t += 60) {
      Timestamps.push(new Date(t * 1000));
      Values.push(load(t));
    }
    return { MetricDataResults: [{ Id: 'connections', Timestamps, Values }] };
  });
}
const tuningPuts = () => aws.db.commandCalls(PutCommand).filter((c) => c.args[0].input.Item?.pk === 'tuning#chat-fargate');
const tuningLine = (log: ReturnType<typeof recordingLog>) => log.lines.find((l) => l.message.startsWith('tuning'));

describe('the daily re-tuning of a target with an objective', () => {
  it('tunes on its own history, stores the settings and logs them with their backtested τU, cost and changes a day', async () => {
    withHistory(4);
    const log = recordingLog();
    const report = await runRetune(EVENT, aws.runtime(configWith()), log);

    expect(report).toEqual({ retuned: [{ target: 'chat-fargate', outcome: 'stored' }], failed: [] });
    expect(aws.db.commandCalls(GetCommand).map((c) => c.args[0].input.Key?.pk)).toContain('tuning#chat-fargate');
    expect(tuningPuts()).toHaveLength(1);
    const item = tuningPuts()[0]!.args[0].input.Item!;
    expect(item.tunedAt).toBe(aws.clock.now);
    const settings = JSON.parse(String(item.settings));
    expect(Object.keys(settings).sort()).toEqual(['headroom', 'holdSeconds', 'scaleInStabilizationSeconds', 'scaleInThresholdPercent']);

    const line = tuningLine(log)!;
    expect(line.message).toBe('tuning chosen');
    expect(line.extra).toMatchObject({ target: 'chat-fargate', objective: { maxUnderProvisionedPercent: 0.5, maxActionsPerDay: 300 }, applied: settings });
    for (const figures of [line.extra.tuning, line.extra.heldOut] as Array<Record<string, number>>) {
      expect(Object.keys(figures).sort()).toEqual(['actionsPerDay', 'costRatio', 'underTimeShare']);
      expect(figures.costRatio).toBeGreaterThanOrEqual(1);
    }
    expect(line.extra.seconds as number).toBeLessThan(60);
  });

  it('acts once for one event, and again a day later', async () => {
    withHistory(4);
    await runRetune(EVENT, aws.runtime(configWith()), recordingLog());
    const again = await runRetune(EVENT, aws.runtime(configWith()), recordingLog());
    expect(again.retuned).toEqual([{ target: 'chat-fargate', outcome: 'not due' }]);
    const start = aws.clock.now;
    aws.clock.now = start + 3600;
    await runRetune({ ...EVENT, time: new Date((NOW + 3600) * 1000).toISOString() }, aws.runtime(configWith()), recordingLog());
    expect(tuningPuts()).toHaveLength(1);
    aws.clock.now = start + DAY;
    await runRetune({ ...EVENT, time: new Date((NOW + DAY) * 1000).toISOString() }, aws.runtime(configWith()), recordingLog());
    expect(tuningPuts()).toHaveLength(2);
  });

  it('never replaces a tuning that a later event stored while it searched', async () => {
    withHistory(4);
    const newer = { pk: 'tuning#chat-fargate', tunedAt: aws.clock.now + 60, settings: JSON.stringify({ headroom: 0.2, scaleInThresholdPercent: 30, scaleInStabilizationSeconds: 180, holdSeconds: 900 }) };
    aws.model.table.set(newer.pk, newer);
    // It read no tuning, as if the later event stored its own only after this one's read.
    aws.db.on(GetCommand, { Key: { pk: 'tuning#chat-fargate' } }).resolves({});
    const log = recordingLog();
    const late = await runRetune(EVENT, aws.runtime(configWith()), log);
    expect(late.retuned).toEqual([{ target: 'chat-fargate', outcome: 'not due' }]);
    expect(tuningPuts()).toHaveLength(1);
    expect(tuningPuts()[0]!.args[0].input).toMatchObject({ ConditionExpression: 'attribute_not_exists(pk) OR tunedAt < :at', ExpressionAttributeValues: { ':at': aws.clock.now } });
    expect(aws.model.table.get(newer.pk)).toEqual(newer);
    expect(log.lines.map((l) => l.message)).toContain('a tuning as new is stored already; this re-tuning changes nothing');
  });

  it('is not part of the hourly forecast refresh', async () => {
    withHistory(4);
    await runForecastRefresh(EVENT, aws.runtime(configWith()), recordingLog());
    expect(tuningPuts()).toHaveLength(0);
    expect(aws.db.commandCalls(GetCommand).map((c) => c.args[0].input.Key?.pk)).not.toContain('tuning#chat-fargate');
  });

  it('keeps the configured settings while there is too little history, and says so', async () => {
    withHistory(2);
    const log = recordingLog();
    const report = await runRetune(EVENT, aws.runtime(configWith()), log);
    expect(report.retuned).toEqual([{ target: 'chat-fargate', outcome: 'too little history' }]);
    expect(tuningPuts()).toHaveLength(0);
    expect(tuningLine(log)).toMatchObject({ message: 'tuning: too little history; the configured settings apply', extra: { target: 'chat-fargate', needed: 3 } });
  });

  it.each([
    { name: 'in a dry run', dryRun: true, mode: 'forecastAndScale', says: 'tuning chosen (dry run: nothing stored)' },
    { name: 'with a forecastOnly policy', dryRun: false, mode: 'forecastOnly', says: 'tuning chosen (forecastOnly: nothing stored)' },
  ])('logs what it would choose and stores nothing $name', async ({ dryRun, mode, says }) => {
    withHistory(4);
    const log = recordingLog();
    const report = await runRetune(EVENT, aws.runtime(configWith(dryRun, mode)), log);
    expect(report.retuned).toEqual([{ target: 'chat-fargate', outcome: 'logged' }]);
    expect(tuningPuts()).toHaveLength(0);
    expect(tuningLine(log)!.message).toBe(says);
    expect(tuningLine(log)!.extra.applied).toBeDefined();
  });
});

describe('the scheduled evaluation of a tuned target', () => {
  it('applies the stored settings: more headroom asks for more units for the same connections', async () => {
    const desiredWith = async (settings: object | undefined) => {
      aws.restore();
      aws = fakeAws({ ecsDesired: 10, connections: 9000 });
      if (settings !== undefined) aws.model.table.set('tuning#chat-fargate', { pk: 'tuning#chat-fargate', tunedAt: NOW, settings: JSON.stringify(settings) });
      await runScheduled(EVENT, aws.runtime(configWith()), recordingLog());
      return aws.ecs.commandCalls(UpdateServiceCommand).at(-1)?.args[0].input.desiredCount ?? 10;
    };
    // 9,000 connections: the reactive floor needs ceil(9000 / 900) = 10 units; with headroom 1, ceil(9000 / 450) = 20.
    expect(await desiredWith(undefined)).toBe(10);
    expect(await desiredWith({ headroom: 1, scaleInThresholdPercent: 30, scaleInStabilizationSeconds: 180, holdSeconds: 900 })).toBe(20);
    expect(aws.cloudwatch.commandCalls(PutMetricDataCommand)).toHaveLength(0);
  });

  it('refuses a damaged stored tuning rather than apply it', async () => {
    aws = fakeAws({ ecsDesired: 10, connections: 9000 });
    aws.model.table.set('tuning#chat-fargate', { pk: 'tuning#chat-fargate', tunedAt: NOW, settings: JSON.stringify({ headroom: 1e9 }) });
    const report = await runScheduled(EVENT, aws.runtime(configWith()), recordingLog());
    expect(report.failed[0]!.error).toContain('Invalid stored tuning of target chat-fargate');
    expect(aws.ecs.commandCalls(UpdateServiceCommand)).toHaveLength(0);
  });
});
