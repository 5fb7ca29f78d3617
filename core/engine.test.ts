import { describe, expect, it } from 'vitest';
import { decide } from './engine';
import { InvalidInputError } from './errors';
import type { Observation } from './observation';
import { emptyState } from './state';
import { alarm, observe, target } from './testing';

const tracking = { type: 'target-tracking', name: 'connections', targetPerUnit: 1000, scaleIn: { stabilizationSeconds: 0 } };
const spike = {
  type: 'ecs-step',
  name: 'spike',
  AdjustmentType: 'PercentChangeInCapacity',
  MinAdjustmentMagnitude: 2,
  Cooldown: 60,
  StepAdjustments: [
    { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 5000, ScalingAdjustment: 50 },
    { MetricIntervalLowerBound: 5000, ScalingAdjustment: 100 },
  ],
};
const service = (limits: Record<string, unknown> = {}) =>
  target({ kind: 'ecs-service', minCapacity: 2, maxCapacity: 40, ...limits, policies: [tracking, spike] });
const run = (config: ReturnType<typeof service>, observation: Observation, now = 0) => decide({ target: config, observation, state: emptyState(), now });

describe('combining policies', () => {
  it.each([
    { name: 'the step policy wins when it asks for more', connections: 12_000, breach: 20_000, expected: 20, policy: 'spike', reason: 'StepScaleOut' },
    { name: 'target tracking wins when it asks for more', connections: 18_000, breach: 12_000, expected: 18, policy: 'connections', reason: 'TargetTrackingScaleOut' },
    { name: 'a firing scale-out alarm keeps target tracking from scaling in', connections: 3_000, breach: 10_500, expected: 15, policy: 'spike', reason: 'StepScaleOut' },
    { name: 'with no alarm, target tracking alone decides', connections: 5_000, breach: undefined, expected: 5, policy: 'connections', reason: 'TargetTrackingScaleIn' },
  ])('$name', ({ connections, breach, expected, policy, reason }) => {
    const observation = observe(10, { metrics: { connections }, alarms: breach === undefined ? {} : { spike: alarm(10_000, breach) } });
    const decision = run(service(), observation);
    expect({ desired: decision.desired, policy: decision.policy, reason: decision.reason }).toEqual({ desired: expected, policy, reason });
  });

  describe('no scale-in while a scale-out alarm is in ALARM', () => {
    // The surge alarm's datapoints all come from units still warming up, so its policy abstains; target tracking wants 5.
    const surge = { type: 'ec2-step', name: 'surge', AdjustmentType: 'ChangeInCapacity', StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 2 }] };
    const drop = { type: 'ec2-step', name: 'drop', AdjustmentType: 'ChangeInCapacity', StepAdjustments: [{ MetricIntervalUpperBound: 0, ScalingAdjustment: -2 }] };
    const exact = { type: 'ec2-step', name: 'floor', AdjustmentType: 'ExactCapacity', StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 12 }] };
    const warming = (threshold: number, ...values: number[]) => ({ threshold, datapoints: values.map((value) => ({ value, warming: true })) });
    const asg = (policies: unknown[], maxCapacity = 40) => target({ kind: 'ec2-asg', minCapacity: 2, maxCapacity, policies });
    const decideWith = (policies: unknown[], alarms: Observation['alarms'], maxCapacity?: number) =>
      decide({ target: asg(policies, maxCapacity), observation: observe(10, { metrics: { connections: 5_000 }, alarms }), state: emptyState(), now: 0 });

    it.each([
      { name: 'a firing scale-out alarm whose policy abstains holds target tracking at the current capacity', policies: [tracking, surge], alarms: { surge: warming(150, 172) }, expected: 10, reason: 'ScaleOutAlarmFiring' },
      { name: 'with the alarm back to OK, the scale-in goes ahead', policies: [tracking, surge], alarms: {}, expected: 5, reason: 'TargetTrackingScaleIn' },
      { name: 'a scale-out alarm whose datapoints overflow a sum still holds', policies: [tracking, surge], alarms: { surge: warming(150, 1e308, 1e308) }, expected: 10, reason: 'ScaleOutAlarmFiring' },
      { name: "a scale-in alarm does not hold another policy's scale-in", policies: [tracking, drop], alarms: { drop: alarm(50, 10) }, expected: 8, reason: 'StepScaleIn' },
      { name: 'an ExactCapacity alarm below the current capacity does not hold', policies: [tracking, { ...exact, StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 3 }] }], alarms: { floor: warming(50, 60) }, expected: 5, reason: 'TargetTrackingScaleIn' },
      { name: 'an ExactCapacity alarm above the current capacity holds', policies: [tracking, exact], alarms: { floor: warming(50, 60) }, expected: 10, reason: 'ScaleOutAlarmFiring' },
    ])('$name', ({ policies, alarms, expected, reason }) => {
      const decision = decideWith(policies, alarms as Observation['alarms']);
      expect({ desired: decision.desired, reason: decision.reason }).toEqual({ desired: expected, reason });
    });

    it('says which alarm held the scale-in', () => {
      expect(decideWith([tracking, surge], { surge: warming(150, 172) }).message).toMatch(/no scale-in while surge's scale-out alarm is in ALARM: stays at 10$/);
    });

    it('never holds capacity above the maximum', () => {
      const decision = decideWith([tracking, surge], { surge: warming(150, 172) }, 8);
      expect([decision.desired, decision.reason]).toEqual([8, 'ClampedToMax']);
    });
  });

  it('keeps every proposal for the log, winners and losers', () => {
    const decision = run(service(), observe(10, { metrics: { connections: 12_000 }, alarms: { spike: alarm(10_000, 20_000) } }));
    expect(decision.proposals.map((p) => [p.policy, p.desired, p.reason])).toEqual([
      ['connections', 12, 'TargetTrackingScaleOut'],
      ['spike', 20, 'StepScaleOut'],
    ]);
  });

  it('says why nothing changed when no policy proposes anything', () => {
    const stepOnly = target({ kind: 'ecs-service', minCapacity: 2, maxCapacity: 40, policies: [spike] });
    const decision = run(stepOnly, observe(10));
    expect(decision).toMatchObject({ desired: 10, reason: 'NoChange', message: 'no policy proposed a capacity; stays at 10 (spike: alarm not in ALARM)' });
  });

  it('on a tie, shows the policy that explains a held change', () => {
    const scaleIn = { type: 'ecs-step', name: 'scale-in', AdjustmentType: 'ChangeInCapacity', StepAdjustments: [{ MetricIntervalUpperBound: 0, ScalingAdjustment: -1 }] };
    const config = target({ kind: 'ecs-service', minCapacity: 2, maxCapacity: 40, policies: [tracking, scaleIn] });
    const decision = decide({
      target: config,
      observation: observe(10, { metrics: { connections: 10_000 }, alarms: { 'scale-in': alarm(50, 10) } }),
      state: { ...emptyState(), cooldown: { direction: 'in', until: 100, baseCapacity: 11, policy: 'scale-in' } },
      now: 0,
    });
    expect(decision.proposals.map((p) => [p.desired, p.reason])).toEqual([
      [10, 'WithinTolerance'],
      [10, 'InCooldown'],
    ]);
    expect([decision.desired, decision.reason, decision.policy]).toEqual([10, 'InCooldown', 'scale-in']);
  });
});

describe('limits: [min, max] and the maximum step', () => {
  it.each([
    { name: 'clamps to maxCapacity', limits: {}, capacity: 30, connections: 90_000, expected: 40, reason: 'ClampedToMax' },
    { name: 'clamps to minCapacity', limits: {}, capacity: 3, connections: 0, expected: 2, reason: 'ClampedToMin' },
    { name: 'limits one decision to maxStepSize', limits: { maxStepSize: 3 }, capacity: 10, connections: 20_000, expected: 13, reason: 'MaxStepLimited' },
    { name: 'limits scale-in to maxStepSize', limits: { maxStepSize: 3 }, capacity: 10, connections: 1_000, expected: 7, reason: 'MaxStepLimited' },
    { name: 'brings a capacity above max back down even with no proposal to', limits: {}, capacity: 45, connections: 45_000, expected: 40, reason: 'ClampedToMax' },
    { name: '[min, max] wins over maxStepSize', limits: { maxStepSize: 1 }, capacity: 50, connections: 50_000, expected: 40, reason: 'ClampedToMax' },
  ])('$name', ({ limits, capacity, connections, expected, reason }) => {
    const decision = run(service(limits), observe(capacity, { metrics: { connections } }));
    expect([decision.desired, decision.reason]).toEqual([expected, reason]);
  });

  it.each([
    { name: "the platform's max below the configured max binds, and is named", platform: { max: 25 }, capacity: 20, connections: 90_000, expected: 25, reason: 'ClampedToPlatformMax' },
    { name: "the configured max below the platform's binds, and is named", platform: { max: 60 }, capacity: 30, connections: 90_000, expected: 40, reason: 'ClampedToMax' },
    { name: "the platform's min above the configured min binds, and is named", platform: { min: 5 }, capacity: 6, connections: 0, expected: 5, reason: 'ClampedToPlatformMin' },
    { name: "the configured min above the platform's binds", platform: { min: 1 }, capacity: 3, connections: 0, expected: 2, reason: 'ClampedToMin' },
    { name: 'within both, nothing is clamped', platform: { min: 1, max: 100 }, capacity: 10, connections: 15_000, expected: 15, reason: 'TargetTrackingScaleOut' },
  ])('$name', ({ platform, capacity, connections, expected, reason }) => {
    const decision = run(service(), { ...observe(capacity, { metrics: { connections } }), platform });
    expect([decision.desired, decision.reason]).toEqual([expected, reason]);
  });

  it("refuses limits that leave nothing to choose: the configured [2, 40] and the platform's [50, 60]", () => {
    expect(() => run(service(), { ...observe(10, { metrics: { connections: 1 } }), platform: { min: 50, max: 60 } })).toThrow(
      "the configured limits [2, 40] and the platform's [50, 60] leave no capacity to choose",
    );
  });

  it('explains a clamp with what was wanted', () => {
    const decision = run(service(), observe(30, { metrics: { connections: 90_000 } }));
    expect(decision.message).toMatch(/^wanted 60, clamped to maxCapacity 40; connections: /);
  });
});

describe('bad input is refused with a clear error and no decision', () => {
  it.each([
    { name: 'a NaN metric', observation: observe(10, { metrics: { connections: NaN } }), message: 'metric "connections" must be a finite number >= 0, got NaN' },
    { name: 'a negative metric', observation: observe(10, { metrics: { connections: -1 } }), message: 'metric "connections" must be a finite number >= 0, got -1' },
    { name: 'a missing metric', observation: observe(10), message: 'policy connections tracks metric "connections", which was not observed' },
    { name: 'a fractional capacity', observation: observe(2.5, { metrics: { connections: 1 } }), message: 'capacity must be a whole number >= 0, got 2.5' },
    { name: 'an alarm for an unknown policy', observation: observe(10, { metrics: { connections: 1 }, alarms: { nope: alarm(1, 2) } }), message: 'alarm for "nope" matches no step policy of target chat' },
    { name: 'an alarm without datapoints', observation: observe(10, { metrics: { connections: 1 }, alarms: { spike: { threshold: 1, datapoints: [] } } }), message: 'alarm for spike: at least one datapoint is needed' },
    { name: 'an infinite datapoint', observation: observe(10, { metrics: { connections: 1 }, alarms: { spike: alarm(1, Infinity) } }), message: 'alarm for spike: datapoints must be finite numbers, got Infinity' },
    { name: 'a NaN threshold', observation: observe(10, { metrics: { connections: 1 }, alarms: { spike: alarm(NaN, 1) } }), message: 'alarm for spike: threshold must be finite, got NaN' },
  ])('$name', ({ observation, message }) => {
    expect(() => run(service(), observation)).toThrow(InvalidInputError);
    expect(() => run(service(), observation)).toThrow(message);
  });

  it('lists every problem at once', () => {
    expect(() => run(service(), observe(-1, { metrics: { connections: NaN } }), NaN)).toThrow(
      'Cannot decide for target chat: now must be finite epoch seconds, got NaN; capacity must be a whole number >= 0, got -1; metric "connections" must be a finite number >= 0, got NaN',
    );
  });
});

describe('state is explicit', () => {
  it('does not change the state it was given', () => {
    const state = emptyState();
    const frozen = JSON.stringify(state);
    run(service(), observe(10, { metrics: { connections: 20_000 }, alarms: { spike: alarm(10_000, 20_000) } }));
    decide({ target: service(), observation: observe(10, { metrics: { connections: 20_000 } }), state, now: 5 });
    expect(JSON.stringify(state)).toBe(frozen);
  });

  it('two targets with the same policy names do not share anything', () => {
    const a = decide({ target: service(), observation: observe(10, { metrics: { connections: 5_000 }, alarms: { spike: alarm(10_000, 12_000) } }), state: emptyState(), now: 0 });
    const b = decide({ target: service(), observation: observe(10, { metrics: { connections: 5_000 } }), state: emptyState(), now: 1 });
    expect([a.desired, b.desired]).toEqual([15, 5]);
    expect(b.state.cooldown).toBeNull();
  });

  it('returns the history a later decision needs, and drops what has expired', () => {
    const first = decide({ target: service(), observation: observe(10, { metrics: { connections: 15_000 }, alarms: { spike: alarm(10_000, 16_000) } }), state: emptyState(), now: 100 });
    expect(first.policy).toBe('spike');
    expect(first.state).toEqual({
      warmups: [{ units: 10, readyAt: 400 }],
      cooldown: { direction: 'out', until: 160, baseCapacity: 10, policy: 'spike' },
      // Both stabilization windows are 0 in this config, so no recommendation needs keeping.
      recommendations: {},
      scaleEvents: [{ at: 100, from: 10, to: 20 }],
      lastScaledAt: 100,
    });
    const later = decide({ target: service(), observation: observe(20, { metrics: { connections: 20_000 } }), state: first.state, now: 1000 });
    expect(later.state).toEqual({ warmups: [], cooldown: null, recommendations: {}, scaleEvents: [], lastScaledAt: 100 });
  });
});

describe('never acts twice for one event', () => {
  const scaleIn = { type: 'ec2-step', name: 'scale-in', AdjustmentType: 'PercentChangeInCapacity', StepAdjustments: [{ MetricIntervalUpperBound: 0, ScalingAdjustment: -30 }] };
  const asg = target({ kind: 'ec2-asg', minCapacity: 1, maxCapacity: 40, policies: [scaleIn] });
  const firing = observe(10, { alarms: { 'scale-in': alarm(50, 30) } });

  it('a duplicate delivery of the same instant, after the first was applied, does not scale again', () => {
    const first = decide({ target: asg, observation: firing, state: emptyState(), now: 100 });
    const again = decide({ target: asg, observation: { ...firing, capacity: first.desired }, state: first.state, now: 100 });
    expect([first.desired, again.desired, again.reason]).toEqual([7, 7, 'AlreadyScaled']);
    expect(again.state).toEqual(first.state);
    expect(again.message).toBe('already scaled at 100; a decision for 100 is a duplicate or stale and is not acted on');
  });

  it('a late event older than the last action is not acted on', () => {
    const first = decide({ target: asg, observation: firing, state: emptyState(), now: 100 });
    expect(decide({ target: asg, observation: { ...firing, capacity: 7 }, state: first.state, now: 40 }).desired).toBe(7);
  });

  it("deduplicates on the event's time, not the clock: a retry decided later is still the same event", () => {
    const first = decide({ target: asg, observation: firing, state: emptyState(), now: 105, eventAt: 100 });
    const retry = decide({ target: asg, observation: { ...firing, capacity: first.desired }, state: first.state, now: 130, eventAt: 100 });
    expect([first.desired, first.state.lastScaledAt, retry.reason]).toEqual([7, 100, 'AlreadyScaled']);
  });

  it('the next evaluation acts again, as AWS step scaling does while the alarm stays in ALARM', () => {
    const first = decide({ target: asg, observation: firing, state: emptyState(), now: 100 });
    expect(decide({ target: asg, observation: { ...firing, capacity: 7 }, state: first.state, now: 160 }).desired).toBe(5);
  });
});
