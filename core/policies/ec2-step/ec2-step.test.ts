import { describe, expect, it } from 'vitest';
import { decide } from '../../engine';
import { emptyState } from '../../state';
import { alarm, Loop, observe, target } from '../../testing';

// AWS's documented example: threshold 50, a scale-out and a scale-in policy with PercentChangeInCapacity steps.
const scaleOut = {
  type: 'ec2-step',
  name: 'scale-out',
  AdjustmentType: 'PercentChangeInCapacity',
  EstimatedInstanceWarmup: 300,
  StepAdjustments: [
    { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 10, ScalingAdjustment: 0 },
    { MetricIntervalLowerBound: 10, MetricIntervalUpperBound: 20, ScalingAdjustment: 10 },
    { MetricIntervalLowerBound: 20, ScalingAdjustment: 30 },
  ],
};
const scaleIn = {
  type: 'ec2-step',
  name: 'scale-in',
  AdjustmentType: 'PercentChangeInCapacity',
  StepAdjustments: [
    { MetricIntervalLowerBound: -10, MetricIntervalUpperBound: 0, ScalingAdjustment: 0 },
    { MetricIntervalLowerBound: -20, MetricIntervalUpperBound: -10, ScalingAdjustment: -10 },
    { MetricIntervalUpperBound: -20, ScalingAdjustment: -30 },
  ],
};
const asg = target({ kind: 'ec2-asg', minCapacity: 1, maxCapacity: 100, policies: [scaleOut, scaleIn] });

describe('EC2 step scaling reproduces AWS worked examples', () => {
  it('follows 60 -> 11, 70 -> 14, 40 -> 13, 30 -> 10 when each scale-out has finished warming up', () => {
    const loop = new Loop(asg, 10);
    const rows = [
      { now: 0, metric: 60, policy: 'scale-out', expected: 11, reason: 'StepScaleOut' },
      { now: 400, metric: 70, policy: 'scale-out', expected: 14, reason: 'StepScaleOut' },
      { now: 800, metric: 40, policy: 'scale-in', expected: 13, reason: 'StepScaleIn' },
      { now: 900, metric: 30, policy: 'scale-in', expected: 10, reason: 'StepScaleIn' },
    ];
    for (const row of rows) {
      const decision = loop.step(row.now, { alarms: { [row.policy]: alarm(50, row.metric) } });
      expect({ at: row.now, desired: decision.desired, reason: decision.reason }).toEqual({ at: row.now, desired: row.expected, reason: row.reason });
    }
  });

  it('explains the 70 -> 14 step with the percentage and its rounding', () => {
    const loop = new Loop(asg, 11);
    const decision = loop.step(0, { alarms: { 'scale-out': alarm(50, 70) } });
    expect(decision.message).toBe('scale-out: metric 70 is 20 above threshold 50, step [20, +inf) +30% of 11 = +3.3, rounded to +3 -> 14');
  });

  it.each([
    { name: 'at 62 the warming 11th unit already covers the step: no change', metric: 62, expected: 11, reason: 'WarmupAbsorbed' },
    { name: 'at 70 the step wants 30% of the 10 in service: 13, not 14', metric: 70, expected: 13, reason: 'StepScaleOut' },
  ])('warm-up example: $name', ({ metric, expected, reason }) => {
    const loop = new Loop(asg, 10);
    loop.step(0, { alarms: { 'scale-out': alarm(50, 60) } });
    const decision = loop.step(60, { alarms: { 'scale-out': alarm(50, metric) } });
    expect([decision.desired, decision.reason]).toEqual([expected, reason]);
  });
});

describe('EC2 warm-up', () => {
  const warmingState = { ...emptyState(), warmups: [{ units: 2, readyAt: 1000 }] };

  it('leaves datapoints of warming units out of the aggregated metric', () => {
    const datapoints = [{ value: 52 }, { value: 99, warming: true }];
    const decision = decide({ target: asg, observation: observe(12, { alarms: { 'scale-out': { threshold: 50, datapoints } } }), state: warmingState, now: 0 });
    // With the warming datapoint the average would be 75.5 and hit the +30% step.
    expect(decision.proposals[0]).toMatchObject({ reason: 'StepNoChange', desired: 12 });
    expect(decision.proposals[0]!.message).toContain('metric 52 is 2 above threshold 50');
  });

  it('abstains when every datapoint comes from a warming unit', () => {
    const decision = decide({
      target: asg,
      observation: observe(12, { alarms: { 'scale-out': { threshold: 50, datapoints: [{ value: 99, warming: true }] } } }),
      state: warmingState,
      now: 0,
    });
    expect([decision.desired, decision.proposals[0]!.reason]).toEqual([12, 'AllDatapointsWarming']);
  });

  it('blocks scale-in until warm-up ends, then allows it', () => {
    const blocked = decide({ target: asg, observation: observe(12, { alarms: { 'scale-in': alarm(50, 30) } }), state: warmingState, now: 999 });
    expect([blocked.desired, blocked.reason]).toEqual([12, 'ScaleInBlockedByWarmup']);
    const allowed = decide({ target: asg, observation: observe(12, { alarms: { 'scale-in': alarm(50, 30) } }), state: warmingState, now: 1000 });
    expect([allowed.desired, allowed.reason]).toEqual([9, 'StepScaleIn']);
  });

  it('records new units as warming for the policy EstimatedInstanceWarmup', () => {
    const decision = decide({ target: asg, observation: observe(10, { alarms: { 'scale-out': alarm(50, 75) } }), state: emptyState(), now: 100 });
    expect(decision.state.warmups).toEqual([{ units: 3, readyAt: 400 }]);
  });

  it("falls back to the target's warmupSeconds when the policy sets none", () => {
    const noEstimate = target({ kind: 'ec2-asg', warmupSeconds: 90, policies: [{ ...scaleOut, EstimatedInstanceWarmup: undefined }] });
    const decision = decide({ target: noEstimate, observation: observe(10, { alarms: { 'scale-out': alarm(50, 75) } }), state: emptyState(), now: 100 });
    expect(decision.state.warmups).toEqual([{ units: 3, readyAt: 190 }]);
  });

  it('ExactCapacity sets the capacity, counting warming units', () => {
    const exact = target({
      kind: 'ec2-asg',
      policies: [{ type: 'ec2-step', name: 'burst', AdjustmentType: 'ExactCapacity', StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 20 }] }],
    });
    const decision = decide({ target: exact, observation: observe(12, { alarms: { burst: alarm(50, 51) } }), state: warmingState, now: 0 });
    expect([decision.desired, decision.reason]).toEqual([20, 'StepScaleOut']);
  });
});
