import { describe, expect, it } from 'vitest';
import { decide } from '../../engine';
import { emptyState } from '../../state';
import { alarm, Loop, observe, target } from '../../testing';

// Two steps of one ECS scale-out policy: +2 for a small breach, +3 for a large one; 300 s cooldown.
const scaleOut = {
  type: 'ecs-step',
  name: 'scale-out',
  AdjustmentType: 'ChangeInCapacity',
  Cooldown: 300,
  StepAdjustments: [
    { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 20, ScalingAdjustment: 2 },
    { MetricIntervalLowerBound: 20, ScalingAdjustment: 3 },
  ],
};
const scaleIn = {
  type: 'ecs-step',
  name: 'scale-in',
  AdjustmentType: 'ChangeInCapacity',
  Cooldown: 300,
  StepAdjustments: [{ MetricIntervalUpperBound: 0, ScalingAdjustment: -1 }],
};
const service = target({ kind: 'ecs-service', minCapacity: 1, maxCapacity: 50, policies: [scaleOut, scaleIn] });

describe('ECS step scaling cooldown (Application Auto Scaling semantics)', () => {
  it('AWS example: +2, then an alarm for +3 within the cooldown adds only 1 more', () => {
    const loop = new Loop(service, 10);
    const first = loop.step(0, { alarms: { 'scale-out': alarm(50, 55) } });
    const second = loop.step(60, { alarms: { 'scale-out': alarm(50, 80) } });
    expect([first.desired, second.desired, second.reason]).toEqual([12, 13, 'StepScaleOut']);
    expect(second.message).toContain('capacity added since 10 counts');
  });

  it.each([
    { name: 'the same step again within the cooldown adds nothing', at: 60, metric: 55, expected: 12, reason: 'CooldownAbsorbed' },
    { name: 'the same step after the cooldown adds again', at: 300, metric: 55, expected: 14, reason: 'StepScaleOut' },
  ])('$name', ({ at, metric, expected, reason }) => {
    const loop = new Loop(service, 10);
    loop.step(0, { alarms: { 'scale-out': alarm(50, 55) } });
    const decision = loop.step(at, { alarms: { 'scale-out': alarm(50, metric) } });
    expect([decision.desired, decision.reason]).toEqual([expected, reason]);
  });

  it('blocks scale-in until the scale-in cooldown expires', () => {
    const loop = new Loop(service, 10);
    const rows = [
      { at: 0, expected: 9, reason: 'StepScaleIn' },
      { at: 299, expected: 9, reason: 'InCooldown' },
      { at: 300, expected: 8, reason: 'StepScaleIn' },
    ];
    for (const row of rows) {
      const decision = loop.step(row.at, { alarms: { 'scale-in': alarm(50, 40) } });
      expect([row.at, decision.desired, decision.reason]).toEqual([row.at, row.expected, row.reason]);
    }
  });

  it('blocks scale-in during a scale-out cooldown too', () => {
    const loop = new Loop(service, 10);
    loop.step(0, { alarms: { 'scale-out': alarm(50, 55) } });
    const decision = loop.step(60, { alarms: { 'scale-in': alarm(50, 40) } });
    expect([decision.desired, decision.reason]).toEqual([12, 'InCooldown']);
  });

  it('scales out at once during a scale-in cooldown, and that ends the scale-in cooldown', () => {
    const loop = new Loop(service, 10);
    loop.step(0, { alarms: { 'scale-in': alarm(50, 40) } });
    const out = loop.step(30, { alarms: { 'scale-out': alarm(50, 55) } });
    expect([out.desired, out.reason]).toEqual([11, 'StepScaleOut']);
    expect(out.state.cooldown).toEqual({ direction: 'out', until: 330, baseCapacity: 9, policy: 'scale-out' });
  });

  it('a cooldown of 0 never blocks', () => {
    const eager = target({ kind: 'ecs-service', policies: [{ ...scaleIn, Cooldown: 0 }] });
    const loop = new Loop(eager, 10);
    loop.step(0, { alarms: { 'scale-in': alarm(50, 40) } });
    expect(loop.step(1, { alarms: { 'scale-in': alarm(50, 40) } }).desired).toBe(8);
  });
});

describe('MetricAggregationType', () => {
  it.each([
    { type: 'Average', expected: 12, note: 'average 60 -> +2' },
    { type: 'Maximum', expected: 13, note: 'maximum 90 -> +3' },
    { type: 'Minimum', expected: 10, note: 'minimum 40 is below the threshold: no step, no change' },
  ])('$type: $note', ({ type, expected }) => {
    const config = target({ kind: 'ecs-service', policies: [{ ...scaleOut, MetricAggregationType: type }] });
    const decision = decide({ target: config, observation: observe(10, { alarms: { 'scale-out': alarm(50, 40, 50, 90) } }), state: emptyState(), now: 0 });
    expect(decision.desired).toBe(expected);
  });

  it('reports no step found the way AWS does', () => {
    const decision = decide({ target: service, observation: observe(10, { alarms: { 'scale-out': alarm(50, 45) } }), state: emptyState(), now: 0 });
    expect(decision.proposals[0]).toEqual({ policy: 'scale-out', reason: 'NoStepMatched', message: 'scale-out: no step adjustment found: metric 45 is 5 below threshold 50' });
  });
});
