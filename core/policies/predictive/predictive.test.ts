import { describe, expect, it } from 'vitest';
import { decide } from '../../engine';
import { emptyState, type TargetState } from '../../state';
import { observe, target } from '../../testing';
import type { CapacitySchedule } from '../../observation';
import { capacitySchedule } from './schedule';

const policy = (extra: Record<string, unknown> = {}) => ({
  type: 'predictive',
  name: 'forecast',
  connectionsPerUnit: 1000,
  startupSeconds: 60,
  schedulingBufferSeconds: 60,
  holdSeconds: 300,
  scaleInThresholdPercent: 20,
  scaleIn: { stabilizationSeconds: 0, policies: [{ type: 'Percent', value: 50, periodSeconds: 300 }] },
  ...extra,
});
/** Units needed per minute from t=0. */
const schedule = (...units: number[]): CapacitySchedule => ({ start: 0, stepSeconds: 60, units });
const run = (capacity: number, s: CapacitySchedule | undefined, extra: Record<string, unknown> = {}, state: TargetState = emptyState(), limits: Record<string, unknown> = {}) =>
  decide({
    target: target({ minCapacity: 1, maxCapacity: 30, ...limits, policies: [policy(extra)] }),
    observation: { ...observe(capacity), ...(s === undefined ? {} : { schedules: { forecast: s } }) },
    state,
    now: 0,
  });

describe('predictive policy', () => {
  it.each([
    { name: 'scales out to the peak of lead + hold when the lead window needs more', capacity: 5, units: [5, 6, 7, 7, 8, 12, 9], expected: 12, reason: 'PredictiveScaleOut' },
    { name: 'holds while capacity covers the lead window', capacity: 12, units: [5, 6, 7, 7, 8, 12, 9], expected: 12, reason: 'PredictiveHold' },
    { name: 'holds a small dip below the scale-in threshold', capacity: 10, units: [9, 9, 9, 9, 9, 9], expected: 10, reason: 'PredictiveHold' },
    { name: 'scales in when the held need is far enough below', capacity: 10, units: [6, 6, 6, 6, 6, 6], expected: 6, reason: 'PredictiveScaleIn' },
    { name: 'scale-in is rate-limited', capacity: 20, units: [2, 2, 2, 2, 2, 2], expected: 10, reason: 'ScaleInRateLimited' },
  ])('$name', ({ capacity, units, expected, reason }) => {
    const d = run(capacity, schedule(...units));
    expect([d.desired, d.reason]).toEqual([expected, reason]);
  });

  it('abstains without a forecast, so the reactive policies decide', () => {
    const d = run(5, undefined);
    expect([d.desired, d.proposals[0]!.reason]).toEqual([5, 'NoForecast']);
  });

  it('abstains when the stored forecast has run out', () => {
    expect(run(5, { start: -3600, stepSeconds: 60, units: [9] }).proposals[0]!.reason).toBe('NoForecast');
  });

  it('forecastOnly says what it would do and changes nothing', () => {
    const d = run(5, schedule(9, 9, 9), { mode: 'forecastOnly' });
    expect([d.desired, d.reason, d.proposals[0]!.reason]).toEqual([5, 'NoChange', 'ForecastOnly']);
    expect(d.message).toContain('the forecast needs 9 unit(s) within the next 120s and 9 within 420s (forecastOnly: not applied)');
  });

  it.each([
    { behavior: 'HonorMaxCapacity', expected: 30, reason: 'ClampedToMax' },
    { behavior: 'IncreaseMaxCapacity', expected: 40, reason: 'PredictiveScaleOut' },
  ])('with $behavior, a forecast of 40 units against max 30 gives $expected', ({ behavior, expected, reason }) => {
    const d = run(20, schedule(40, 40, 40), { maxCapacityBreachBehavior: behavior, maxCapacityBuffer: 10 });
    expect([d.desired, d.reason]).toEqual([expected, reason]);
  });

  it('scales in only as low as the highest need of its stabilization window', () => {
    const config = target({
      minCapacity: 1,
      maxCapacity: 30,
      policies: [policy({ scaleInThresholdPercent: 0, scaleIn: { stabilizationSeconds: 600, policies: [{ type: 'Percent', value: 100, periodSeconds: 60 }] } })],
    });
    const at = (now: number, units: number, capacity: number, state: TargetState) =>
      decide({ target: config, observation: { ...observe(capacity), schedules: { forecast: { start: now, stepSeconds: 60, units: Array(20).fill(units) } } }, state, now });
    const first = at(0, 10, 10, emptyState());
    const second = at(60, 2, 10, first.state);
    const third = at(660, 2, 10, second.state);
    expect([first.desired, second.desired, third.desired]).toEqual([10, 10, 2]);
  });

  it('is never below what target tracking needs, even with scale-in disabled there', () => {
    const config = target({
      minCapacity: 1,
      maxCapacity: 30,
      policies: [policy(), { type: 'target-tracking', name: 'reactive', targetPerUnit: 1000, tolerance: 0, scaleIn: { stabilizationSeconds: 0, selectPolicy: 'Disabled' } }],
    });
    const d = decide({ target: config, observation: { ...observe(20, { metrics: { connections: 8500 } }), schedules: { forecast: schedule(2, 2, 2, 2, 2, 2) } }, state: emptyState(), now: 0 });
    expect([d.desired, d.policy]).toEqual([10, 'forecast']);
    const bounded = decide({ target: config, observation: { ...observe(12, { metrics: { connections: 11_500 } }), schedules: { forecast: schedule(2, 2, 2, 2, 2, 2) } }, state: emptyState(), now: 0 });
    expect([bounded.desired, bounded.policy]).toEqual([12, 'reactive']);
  });

  it('scales in only as low as keep, the band a scale-in reads, allows', () => {
    const d = run(20, { ...schedule(5, 5, 5, 5, 5, 5, 5, 5), keep: [5, 5, 5, 8, 9, 9, 9, 9] });
    expect([d.desired, d.reason]).toEqual([10, 'ScaleInRateLimited']);
    const deeper = run(14, { ...schedule(5, 5, 5, 5, 5, 5, 5, 5), keep: [5, 5, 5, 8, 9, 9, 9, 9] });
    expect([deeper.desired, deeper.reason]).toEqual([9, 'PredictiveScaleIn']);
    expect(deeper.message).toContain('needs 5 unit(s) within the next 120s and 5 within 420s (9 to keep on scale-in); scales in to 9');
  });

  it('holds when a floor lifts a scale-in until it is smaller than the scale-in threshold', () => {
    const config = target({
      minCapacity: 1,
      maxCapacity: 30,
      policies: [policy({ scaleInThresholdPercent: 30 }), { type: 'target-tracking', name: 'reactive', targetPerUnit: 1000, tolerance: 0, scaleIn: { stabilizationSeconds: 0, selectPolicy: 'Disabled' } }],
    });
    const at = (connections: number) =>
      decide({ target: config, observation: { ...observe(12, { metrics: { connections } }), schedules: { forecast: schedule(6, 6, 6, 6, 6, 6) } }, state: emptyState(), now: 0 });
    // The forecast wants 6 (50% below 12); a floor of 9 leaves a 25% scale-in, under the 30% threshold.
    const lifted = at(8500);
    expect([lifted.desired, lifted.reason]).toEqual([12, 'NoChange']);
    expect(lifted.message).toContain("reactive's floor of 9 leaves a scale-in too small to make (forecast scales in only to 8 or fewer): stays at 12");
    // A floor of 8 still leaves a scale-in worth making.
    expect([at(7500).desired, at(7500).policy]).toEqual([8, 'reactive']);
  });

  it('a reactive floor alone never starts a scale-in', () => {
    const config = target({ minCapacity: 1, maxCapacity: 30, policies: [{ type: 'target-tracking', name: 'reactive', targetPerUnit: 1000, scaleIn: { selectPolicy: 'Disabled' } }] });
    const d = decide({ target: config, observation: observe(20, { metrics: { connections: 1000 } }), state: emptyState(), now: 0 });
    expect([d.desired, d.reason]).toEqual([20, 'ScaleInDisabled']);
  });

  it('capacitySchedule turns an upper forecast into whole units', () => {
    expect(capacitySchedule(0, 60, [0, 999.5, 1000, 1000.0000001, 1001], 1000).units).toEqual([0, 1, 1, 1, 2]);
  });

  it.each([
    { keep: [5, 5], problem: 'keep must have one whole number per step of units, none below it' },
    { keep: [5, 5, 4], problem: 'keep must have one whole number per step of units, none below it' },
    { keep: [5, 5.5, 6], problem: 'keep must have one whole number per step of units, none below it' },
  ])('refuses a schedule whose keep is $keep against units [5, 5, 5]', ({ keep, problem }) => {
    expect(() => run(5, { ...schedule(5, 5, 5), keep })).toThrow(problem);
  });

  it('refuses a schedule for a policy the target does not have', () => {
    expect(() =>
      decide({ target: target({ policies: [policy()] }), observation: { ...observe(5), schedules: { other: schedule(1) } }, state: emptyState(), now: 0 }),
    ).toThrow('schedule for "other" matches no predictive policy of target chat');
  });
});
