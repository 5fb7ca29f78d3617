import { describe, expect, it } from 'vitest';
import { type Decision, InvalidInputError } from '../core';
import { target } from '../core/testing';
import { type Trace, sliceTrace } from '../sim';
import { replayTarget } from './replay';

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
const options = { from: 0, to: 3600, stepSeconds: 60, initialCapacity: 2, perUnit: 1000 };

function decisions(policies: unknown[]): Map<number, Decision> {
  const seen = new Map<number, Decision>();
  replayTarget(target({ minCapacity: 1, maxCapacity: 50, policies }), spike, options, (d, view) => seen.set(view.now, d));
  return seen;
}

describe('replayTarget', () => {
  it('follows the load with target tracking and its rate limits, seeing each datapoint a step late', () => {
    const at = decisions([tracking]);
    expect([at.get(600)!.desired, at.get(660)!.desired, at.get(720)!.desired, at.get(780)!.desired]).toEqual([2, 6, 12, 20]);
    expect(at.get(660)!.reason).toBe('ScaleOutRateLimited');
  });

  it('holds scale-in for the stabilization window after the load drops', () => {
    const at = decisions([tracking]);
    expect([at.get(1860)!.desired, at.get(2040)!.desired, at.get(2100)!.desired]).toEqual([20, 20, 2]);
    expect(at.get(2040)!.reason).toBe('ScaleInStabilized');
  });

  it('fires a step policy only once its alarm has breached for evaluationPeriods', () => {
    const at = decisions([stepOut]);
    const first = [...at.entries()].find(([, d]) => d.desired > d.current)!;
    expect([first[0], first[1].desired, first[1].reason]).toEqual([720, 7, 'StepScaleOut']);
  });

  it('scores the window: unit-hours and actions', () => {
    const result = replayTarget(target({ minCapacity: 1, maxCapacity: 50, policies: [tracking] }), spike, options);
    expect(result.metrics.days).toBeCloseTo(3660 / 86_400, 6);
    expect(result.metrics.actionsPerDay * result.metrics.days).toBeCloseTo(4, 6);
  });

  it('refuses what it cannot simulate, saying why', () => {
    const noAlarm = target({ policies: [{ ...stepOut, alarm: undefined }] });
    expect(() => replayTarget(noAlarm, spike, options)).toThrow(InvalidInputError);
    expect(() => replayTarget(noAlarm, spike, options)).toThrow('step policy surge has no alarm, so a replay cannot tell when it fires');
  });

  describe('with a predictive policy', () => {
    const DAY = 86_400;
    // Three days at 5 minutes: a daily cycle between 5,000 and 15,000 connections.
    const daily: Trace = { times: Array.from({ length: 864 }, (_, i) => i * 300), values: Array.from({ length: 864 }, (_, i) => 10_000 + 5000 * Math.sin((2 * Math.PI * i) / 288)) };
    const predictive = target({
      minCapacity: 1,
      maxCapacity: 50,
      policies: [
        { type: 'predictive', name: 'forecast', connectionsPerUnit: 1000, holdSeconds: 0, scaleInThresholdPercent: 0, scaleIn: { stabilizationSeconds: 0, bandHorizonSeconds: 0 } },
        { type: 'target-tracking', name: 'reactive', targetPerUnit: 1000, scaleIn: { stabilizationSeconds: 0, selectPolicy: 'Disabled' } },
      ],
    });
    const forecastReasons = (from: number, to: number) => {
      const reasons: { now: number; reason: string; changed: boolean }[] = [];
      replayTarget(predictive, daily, { from, to, stepSeconds: 60, initialCapacity: 10, perUnit: 1000 }, (d, view) =>
        reasons.push({ now: view.now, reason: d.proposals.find((p) => p.policy === 'forecast')!.reason, changed: d.desired !== d.current && d.reason.startsWith('Predictive') }),
      );
      return reasons;
    };

    it('forecasts from the first decision, fitted on the trace before the window, and scales on it', () => {
      const seen = forecastReasons(2 * DAY, 2.5 * DAY);
      expect(seen[0]!.reason).not.toBe('NoForecast');
      expect(seen.filter((s) => s.reason === 'NoForecast')).toEqual([]);
      expect(seen.some((s) => s.changed)).toBe(true);
    });

    it('abstains until a day of the trace is visible, as the refresh cannot fit on less', () => {
      const seen = forecastReasons(0.5 * DAY, 1.5 * DAY);
      const firstForecast = seen.find((s) => s.reason !== 'NoForecast')!;
      // The datapoint taken at one day is published a step later.
      expect(firstForecast.now).toBe(DAY + 60);
      expect(seen.filter((s) => s.now > firstForecast.now && s.reason === 'NoForecast')).toEqual([]);
    });

    it('refuses a target tracking policy on a metric other than connections', () => {
      const other = target({ policies: [{ type: 'target-tracking', name: 'cpu', metric: 'cpu', targetPerUnit: 50 }] });
      expect(() => replayTarget(other, daily, options)).toThrow('policy cpu tracks "cpu", but a replay only knows "connections"');
    });

    it('a predictive policy always forecasts connections: a metric key is refused before any replay', () => {
      expect(() => target({ policies: [{ type: 'predictive', name: 'forecast', metric: 'cpu', connectionsPerUnit: 1000 }] })).toThrow('policies[0].metric: unknown key');
    });
  });

  it('slices a window with interpolated ends', () => {
    expect(sliceTrace({ times: [0, 100, 200], values: [0, 100, 200] }, 50, 150)).toEqual({ times: [50, 100, 150], values: [50, 100, 150] });
  });
});
