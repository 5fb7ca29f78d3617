import { describe, expect, it } from 'vitest';
import { InvalidInputError } from './errors';
import { replay, summarize } from './replay';
import { target } from './testing';
import type { Trace } from './trace';

// Load steps from 2,000 to 20,000 connections at t=600 and back at t=1800.
const spike: Trace = { times: [0, 599, 600, 1799, 1800, 3600], values: [2000, 2000, 20_000, 20_000, 2000, 2000] };
const tracking = { type: 'target-tracking', name: 'tracking', targetPerUnit: 1000 };
const stepOut = {
  type: 'ecs-step',
  name: 'surge',
  AdjustmentType: 'ChangeInCapacity',
  Cooldown: 120,
  StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 5 }],
  alarm: { comparison: 'GreaterThanOrEqualToThreshold', threshold: 1500, evaluationPeriods: 2 },
};
const options = { from: 0, to: 3600, stepSeconds: 60, initialCapacity: 2 };

describe('replay', () => {
  it('follows the load with target tracking and its rate limits', () => {
    const ticks = [...replay(target({ minCapacity: 1, maxCapacity: 50, policies: [tracking] }), spike, options)];
    const at = (t: number) => ticks.find((tick) => tick.time === t)!.decision;
    expect([at(540).desired, at(600).desired, at(660).desired, at(720).desired]).toEqual([2, 6, 12, 20]);
    expect(at(600).reason).toBe('ScaleOutRateLimited');
    // Scale-in waits until the last high recommendation (t=1740) is 300 s old: the window is (now - 300, now].
    expect([at(1800).desired, at(1980).desired, at(2040).desired]).toEqual([20, 20, 2]);
    expect(at(1980).reason).toBe('ScaleInStabilized');
  });

  it('fires a step policy only once its alarm has breached for evaluationPeriods', () => {
    const ticks = [...replay(target({ minCapacity: 1, maxCapacity: 50, policies: [stepOut] }), spike, options)];
    const firstOut = ticks.find((tick) => tick.decision.desired > tick.decision.current)!;
    expect([firstOut.time, firstOut.decision.desired, firstOut.decision.reason]).toEqual([660, 7, 'StepScaleOut']);
  });

  it('summarizes actions, cost and reasons', () => {
    const config = target({ minCapacity: 1, maxCapacity: 50, policies: [tracking] });
    const summary = summarize(replay(config, spike, options), 60);
    expect(summary).toMatchObject({ decisions: 61, scaleOuts: 3, scaleIns: 1, peakCapacity: 20, peakConnections: 20_000 });
    expect(summary.reasons).toEqual({ ScaleOutRateLimited: 2, TargetTrackingScaleOut: 1, TargetTrackingScaleIn: 1 });
  });

  it('refuses what it cannot simulate, saying why', () => {
    const noAlarm = target({ policies: [{ ...stepOut, alarm: undefined }] });
    expect(() => [...replay(noAlarm, spike, options)]).toThrow(InvalidInputError);
    expect(() => [...replay(noAlarm, spike, options)]).toThrow('step policy surge has no alarm, so a replay cannot tell when it fires');
  });
});
