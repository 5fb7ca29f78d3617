import { describe, expect, it } from 'vitest';
import { type Trace, simulate, type Controller, type MetricHistory, type PolicyView, oracle } from '../../sim';
import { unitsFor } from '../../core';
import { awsPredictive } from './aws-predictive';
import { awsTargetTracking } from './aws-target-tracking';

const limits = { targetPerUnit: 700, minCapacity: 1, maxCapacity: 1000 };

/** A view whose published history is `perMinute` connections on `ready` units, one sample a minute. */
function view(perMinute: number[], desired: number, ready = desired, now = perMinute.length * 60): PolicyView {
  const history: MetricHistory = { times: perMinute.map((_, i) => i * 60), connections: perMinute, ready: perMinute.map(() => ready), visible: perMinute.length };
  return { now, history, observed: perMinute[perMinute.length - 1]!, desired, running: desired, ready };
}

describe('aws-target-tracking baseline', () => {
  it.each([
    { name: 'two datapoints above the target are not enough', load: [7000, 7700, 7700], expected: 10 },
    { name: 'three datapoints above the target scale out to ceil(load / target)', load: [7700, 7700, 7700], expected: 11 },
    { name: '14 datapoints below 90% of the target are not enough', load: Array(14).fill(3000), expected: 10 },
    { name: '15 datapoints below 90% of the target scale in', load: Array(15).fill(3000), expected: 5 },
  ])('$name', ({ load, expected }) => {
    expect(awsTargetTracking(limits).decide(view(load, 10))).toBe(expected);
  });

  it('waits out the 300 s scale-in cooldown before scaling in again', () => {
    const policy = awsTargetTracking(limits);
    expect(policy.decide(view(Array(15).fill(3000), 10, 10, 1000))).toBe(5);
    expect(policy.decide(view(Array(15).fill(1400), 5, 5, 1200))).toBe(5);
    expect(policy.decide(view(Array(15).fill(1400), 5, 5, 1300))).toBe(2);
  });
});

describe('aws-predictive baseline', () => {
  const DAY = 86_400;
  const daily = (t: number) => 10_000 + 8000 * Math.sin((2 * Math.PI * t) / DAY);
  const days = (n: number) => Array.from({ length: (n * DAY) / 60 }, (_, i) => daily(i * 60));

  it('waits for 24 hours of history before forecasting', () => {
    const policy = awsPredictive(limits, { stepSeconds: 60 });
    const load = days(0.5);
    expect(policy.decide(view(load, 20))).toBe(awsTargetTracking(limits).decide(view(load, 20)));
  });

  it("holds capacity at the coming hour's forecast when target tracking alone would scale in further", () => {
    // Two days of a daily sine; at t = 2 days the next hour's mean is 10,000 + 8,000 * 0.130 = 11,041,
    // so the floor is ceil(11,041 / 700) = 16, while target tracking scales in to ceil(9,983 / 700) = 15.
    const history = days(2);
    const idle = view(history, 100, 100, 2 * DAY);
    expect(awsTargetTracking(limits).decide(idle)).toBe(15);
    expect(awsPredictive(limits, { stepSeconds: 60 }).decide(idle)).toBe(16);
  });
});

describe('oracle', () => {
  it('has exactly the units demand needs ready at every step, and never more than a start-up ahead', () => {
    const trace: Trace = { times: [0, 600, 1200, 1800], values: [1500, 9000, 2500, 7000] };
    const policy: Controller = oracle(trace, { perUnit: 1000, startupSeconds: 120, stepSeconds: 60, minCapacity: 1, maxCapacity: 100 });
    const { rows, metrics } = simulate(trace, policy, { stepSeconds: 60, startupSeconds: 120, perUnit: 1000, evalFrom: 300, initialCapacity: 2 });
    expect(metrics.underTimeShare).toBe(0);
    for (const row of rows) expect(row.ready).toBeGreaterThanOrEqual(unitsFor(row.demand, 1000));
  });

  it('is exact across a gap of the trace too: its units are ready when the data returns', () => {
    // A day of minutes, three days missing, a day of minutes at another level.
    const day = (from: number, level: number) => Array.from({ length: 1440 }, (_, i) => [from + 60 * i, level + 500 * Math.sin(i / 50)] as const);
    const samples = [...day(0, 3000), ...day(4 * 86_400, 9000)];
    const trace: Trace = { times: samples.map(([t]) => t), values: samples.map(([, v]) => v) };
    const policy = oracle(trace, { perUnit: 1000, startupSeconds: 300, stepSeconds: 60, minCapacity: 1, maxCapacity: 100 });
    const { metrics } = simulate(trace, policy, { stepSeconds: 60, startupSeconds: 300, perUnit: 1000, evalFrom: 0, initialCapacity: 4 });
    expect(metrics.unscoredHours).toBeGreaterThan(70);
    expect(metrics.underTimeShare).toBe(0);
  });
});
