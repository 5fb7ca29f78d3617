import { describe, expect, it } from 'vitest';
import { defaultBacktestOptions } from './run';
import { runOptions, simulate } from '../sim';
import { yardstick, yardstickAt } from './yardstick';

const DAY = 86_400;
const o = { ...defaultBacktestOptions(), evalFromDays: 1 };
/** Four days a minute apart: a daily level with noise no forecast could call minute by minute. */
function trace(noise: (i: number) => number) {
  const times = Array.from({ length: 4 * 1440 }, (_, i) => i * 60);
  return { times, values: times.map((t, i) => Math.max(0, 20_000 + 8000 * Math.sin((2 * Math.PI * t) / DAY) + noise(i))) };
}

describe('the clairvoyant level+spread yardstick', () => {
  it('serves a noiseless level throughout, at little more cost with more deviations', () => {
    const smooth = trace(() => 0);
    const loose = simulate(smooth, yardstick(smooth, o, 1), runOptions(smooth, o)).metrics;
    const tight = simulate(smooth, yardstick(smooth, o, 4), runOptions(smooth, o)).metrics;
    expect(loose.underTimeShare).toBe(0);
    expect(tight.unitHours / loose.unitHours).toBeLessThan(1.1);
  });

  it('buys a lower τU with more unit-hours as its deviations grow, and picks the cheapest that reaches a τU', () => {
    const noisy = trace((i) => 3000 * Math.sin(i * 12.9898) * Math.cos(i * 78.233));
    const runs = [0.5, 1, 1.5].map((d) => simulate(noisy, yardstick(noisy, o, d), runOptions(noisy, o)).metrics);
    expect(runs[0]!.underTimeShare).toBeGreaterThan(runs[1]!.underTimeShare);
    expect(runs[1]!.underTimeShare).toBeGreaterThan(runs[2]!.underTimeShare);
    expect(runs[0]!.unitHours).toBeLessThan(runs[1]!.unitHours);
    const at = yardstickAt(noisy, o, runs[1]!.underTimeShare)!;
    expect(at.metrics.underTimeShare).toBeLessThanOrEqual(runs[1]!.underTimeShare);
    expect(at.metrics.unitHours).toBeLessThanOrEqual(runs[1]!.unitHours);
    expect(at.deviations).toBeLessThanOrEqual(1);
    // The cheapest: one resolution step fewer misses the τU.
    const fewer = simulate(noisy, yardstick(noisy, o, at.deviations - 0.05), runOptions(noisy, o)).metrics;
    expect(fewer.underTimeShare).toBeGreaterThan(runs[1]!.underTimeShare);
    expect(yardstickAt(noisy, o, -1)).toBeUndefined();
  });
});
