import { describe, expect, it } from 'vitest';
import { predictPoints, type Seasonal } from './predict';

/** A history that ends 500 above a flat profile of 1,000, level for two hours (so no trend). */
const observed = { times: [0, 3600, 7200], values: [1500, 1500, 1500], visible: 3 };

describe('predictPoints', () => {
  it('fades a seasonal model’s latest error toward its profile over 6 hours', () => {
    const daily: Seasonal = { method: 'daily', stepSeconds: 3600, epoch: 0, profile: Array(24).fill(1000), period: 24 };
    const points = Array.from(predictPoints(daily, observed, 6));
    points.forEach((p, i) => expect(p).toBeCloseTo(1000 + 500 * 0.5 ** ((i + 1) / 6), 6));
  });

  it('fades a seasonal model’s trend with its level, so a day ahead the forecast is back on its profile', () => {
    const daily: Seasonal = { method: 'daily', stepSeconds: 3600, epoch: 0, profile: Array(24).fill(1000), period: 24 };
    // The last hour rose by 200 above the profile: level 500, trend +200 an hour.
    const rising = { times: [0, 3600, 7200], values: [1300, 1300, 1500], visible: 3 };
    const points = Array.from(predictPoints(daily, rising, 24));
    let damped = 0;
    points.forEach((p, i) => {
      damped += 0.8 ** (i + 1);
      expect(p).toBeCloseTo(1000 + (500 + 200 * damped) * 0.5 ** ((i + 1) / 6), 6);
    });
    expect(points[23]).toBeLessThan(1000 + 0.07 * (500 + 200 * 4));
  });

  it('keeps the latest level and damped trend for `none`, which has no profile to return to', () => {
    const none: Seasonal = { method: 'none', stepSeconds: 3600, epoch: 0, profile: [], period: 1 };
    const rising = { times: [0, 3600, 7200], values: [1300, 1300, 1500], visible: 3 };
    expect(predictPoints(none, rising, 2)[1]).toBeCloseTo(1500 + 200 * (0.8 + 0.64), 6);
  });

  it('keeps the latest level for `none`, which has no profile to return to', () => {
    const none: Seasonal = { method: 'none', stepSeconds: 3600, epoch: 0, profile: [], period: 1 };
    expect(Array.from(predictPoints(none, observed, 3))).toEqual([1500, 1500, 1500]);
  });
});
