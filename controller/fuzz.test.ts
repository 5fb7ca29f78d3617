// Hostile events: every handler is fed 10,000 generated events, each a real AWS event with at least one
// thing wrong with it, or no event at all. Every one must end in a clear EventError with no mutating call.
import { readFileSync } from 'node:fs';
import { AutoScalingClient, CompleteLifecycleActionCommand } from '@aws-sdk/client-auto-scaling';
import { PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { SendCommandCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { EventError } from './errors';
import { runAlarm } from './on-alarm';
import { runForecastRefresh } from './on-forecast-refresh';
import { runRetune } from './on-retune';
import { DEFAULT_DRAIN, runTerminateAction } from '../kinds';
import { runScheduled } from './on-schedule';
import { exampleConfig, fakeAws, HOME, recordingLog } from '../aws/testing';

const RUNS = 10_000;
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8'));
const clockAt = (event: { time: string }) => Date.parse(event.time) / 1000;

type Json = Record<string, unknown>;
/** One thing wrong with an otherwise real event. */
type Corruption = (event: Json) => Json;

/** A copy of `event` with `value` at `path`; keys such as `__proto__` become own keys, as JSON.parse makes them. */
const setPath = (event: Json, path: readonly string[], value: unknown): Json => {
  const copy = JSON.parse(JSON.stringify(event)) as Json;
  let node: Json = copy;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) Object.defineProperty(node, key, { value: {}, enumerable: true, writable: true, configurable: true });
    node = node[key] as Json;
  }
  const last = path[path.length - 1]!;
  if (value === DELETE) delete node[last];
  else Object.defineProperty(node, last, { value, enumerable: true, writable: true, configurable: true });
  return copy;
};
const DELETE = Symbol('delete');
const iso = (epochSeconds: number) => new Date(epochSeconds * 1000).toISOString();

/**
 * Corruptions of an event whose required fields are `required` (paths) and whose time sits at `timePath`.
 * Each one alone makes the event one the handler must refuse.
 */
function corruptions(
  required: ReadonlyArray<readonly string[]>,
  timePath: readonly string[],
  origin: { account: readonly string[]; region: readonly string[] },
  now: number,
): fc.Arbitrary<Corruption> {
  const path = fc.constantFrom(...required);
  const wrongType = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.object({ maxDepth: 1 }));
  return fc.oneof(
    path.map((p) => (e: Json) => setPath(e, p, DELETE)),
    fc.tuple(path, wrongType).map(([p, v]) => (e: Json) => setPath(e, p, v)),
    fc.tuple(path, fc.integer({ min: 10_000, max: 300_000 })).map(([p, n]) => (e: Json) => setPath(e, p, 'z'.repeat(n))),
    fc.tuple(fc.constantFrom<readonly string[]>([], ['detail'], ...required.slice(0, 2).map((p) => p.slice(0, -1))), fc.constantFrom('__proto__', 'constructor', 'prototype')).map(
      ([p, key]) => (e: Json) => setPath(e, [...p, key], { polluted: true }),
    ),
    fc.integer({ min: 301, max: 80 * 365 * 86_400 }).map((ahead) => (e: Json) => setPath(e, timePath, iso(now + ahead))),
    fc.integer({ min: 901, max: 50 * 365 * 86_400 }).map((ago) => (e: Json) => setPath(e, timePath, iso(now - ago))),
    fc.stringMatching(/^[0-9]{12}$/).filter((a) => a !== HOME.account).map((account) => (e: Json) => setPath(e, origin.account, account)),
    fc.constantFrom('eu-west-1', 'ap-south-1', 'us-west-2', '', 'us-east-1 ').map((region) => (e: Json) => setPath(e, origin.region, region)),
  );
}

/** A real event with one to three corruptions, or something that is not an event at all. */
const hostile = (base: Json, corruption: fc.Arbitrary<Corruption>): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 9, arbitrary: fc.array(corruption, { minLength: 1, maxLength: 3 }).map((cs) => cs.reduce((e, c) => c(e), base)) },
    { weight: 1, arbitrary: fc.anything() },
  );

const envelope = [['id'], ['source'], ['detail-type'], ['account'], ['region'], ['time']] as const;
const eventBridgeOrigin = { account: ['account'], region: ['region'] };

/** Runs `handle` on RUNS hostile events and counts how each ended. */
async function refuseAll(events: fc.Arbitrary<unknown>, handle: (event: unknown) => Promise<unknown>): Promise<{ refused: number; accepted: unknown[] }> {
  let refused = 0;
  const accepted: unknown[] = [];
  await fc.assert(
    fc.asyncProperty(events, async (event) => {
      try {
        accepted.push(await handle(event));
      } catch (error) {
        if (!(error instanceof EventError)) throw error;
        expect(error.message.length).toBeLessThan(2_000);
        refused++;
      }
    }),
    { numRuns: RUNS, seed: 20261205 },
  );
  return { refused, accepted };
}

describe(`hostile events: ${RUNS.toLocaleString('en-US')} generated events per handler, each refused with no mutating call`, () => {
  const aws = fakeAws();
  afterAll(() => aws.restore());

  it.each([
    { name: 'scheduled evaluation', run: runScheduled, base: fixture('scheduled-event') },
    { name: 'forecast refresh', run: runForecastRefresh, base: fixture('scheduled-event') },
    { name: 'daily re-tuning', run: runRetune, base: fixture('scheduled-event') },
    { name: 'alarm (EventBridge)', run: runAlarm, base: fixture('alarm-state-change'), extra: [['detail', 'alarmName'], ['detail', 'state', 'value']] },
  ])('$name', async ({ run, base, extra }) => {
    aws.clock.now = clockAt(base);
    const rt = aws.runtime(exampleConfig());
    const required = [...envelope, ...(extra ?? [])];
    const { refused, accepted } = await refuseAll(hostile(base, corruptions(required, ['time'], eventBridgeOrigin, clockAt(base))), (event) => run(event, rt, recordingLog()));
    expect({ refused, accepted }).toEqual({ refused: RUNS, accepted: [] });
    expect(aws.mutatingCalls() + aws.cloudwatch.commandCalls(PutMetricDataCommand).length).toBe(0);
  });

  it('alarm (SNS)', async () => {
    const base = fixture('sns-alarm');
    aws.clock.now = Date.parse('2026-11-22T10:05:00Z') / 1000;
    const rt = aws.runtime(exampleConfig());
    const message = JSON.parse(base.Records[0].Sns.Message) as Json;
    const messageCorruption = corruptions([['AlarmName'], ['NewStateValue'], ['StateChangeTime']], ['StateChangeTime'], { account: ['AWSAccountId'], region: ['AlarmArn'] }, aws.clock.now);
    const events = fc.oneof(
      hostile(message, messageCorruption).map((m) => setPath(base, ['Records', '0', 'Sns', 'Message'], JSON.stringify(m) ?? 'undefined')),
      hostile(base, corruptions([['Records'], ['Records', '0', 'Sns', 'MessageId'], ['Records', '0', 'Sns', 'TopicArn'], ['Records', '0', 'Sns', 'Message']], ['Records', '0', 'Sns', 'Timestamp'], { account: ['Records', '0', 'Sns', 'TopicArn'], region: ['Records', '0', 'Sns', 'TopicArn'] }, aws.clock.now)),
    );
    // A Timestamp corruption on the SNS record alone leaves the alarm's own time valid: those are filtered out.
    const { refused, accepted } = await refuseAll(
      events.filter((e) => JSON.stringify(e) !== JSON.stringify(base) && !onlyTimestampChanged(base, e)),
      (event) => runAlarm(event, rt, recordingLog()),
    );
    expect({ refused, accepted }).toEqual({ refused: RUNS, accepted: [] });
    expect(aws.mutatingCalls()).toBe(0);
  });

  it('lifecycle drain', async () => {
    const base = fixture('terminate-lifecycle-action');
    const ssm = mockClient(SSMClient);
    const autoscaling = mockClient(AutoScalingClient);
    try {
      const deps = { ssm: new SSMClient({}), autoscaling: new AutoScalingClient({}), home: HOME, groups: ['chat-asg'], clock: () => clockAt(base) };
      const required = [...envelope, ['detail', 'EC2InstanceId'], ['detail', 'AutoScalingGroupName'], ['detail', 'LifecycleActionToken']];
      const { refused, accepted } = await refuseAll(hostile(base, corruptions(required, ['time'], eventBridgeOrigin, clockAt(base))), (event) => runTerminateAction(event, deps, recordingLog(), { ...DEFAULT_DRAIN, document: 'test-realtime-scaler-chat-drain' }));
      expect({ refused, accepted }).toEqual({ refused: RUNS, accepted: [] });
      expect(ssm.commandCalls(SendCommandCommand).length + autoscaling.commandCalls(CompleteLifecycleActionCommand).length).toBe(0);
    } finally {
      ssm.restore();
      autoscaling.restore();
    }
  });
});

/** Whether `event` differs from `base` only in the SNS record's own Timestamp, which the handler does not act on. */
function onlyTimestampChanged(base: Json, event: unknown): boolean {
  if (typeof event !== 'object' || event === null) return false;
  const strip = (e: unknown) => JSON.stringify(setPath(e as Json, ['Records', '0', 'Sns', 'Timestamp'], DELETE));
  try {
    return strip(event) === strip(base);
  } catch {
    return false;
  }
}
