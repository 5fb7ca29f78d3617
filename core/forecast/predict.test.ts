import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FOLLOW_LATEST, type ForecastModel } from './model';
import { bandAt, predictPoints, trackingSteps, type Seasonal } from './predict';

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

  describe('tracking weights below 1', () => {
    const none: Seasonal = { method: 'none', stepSeconds: 60, epoch: 0, profile: [], period: 1 };
    const minutes = (values: number[]) => ({ times: values.map((_, i) => i * 60), values, visible: values.length });
    // A flat 1,000 with ±100 of jitter that ends on a high datapoint after a low one.
    const jittery = minutes(Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? 900 : 1100)));

    it('average out a noisy metric’s jitter, where following the latest datapoint chases it', () => {
      const followed = predictPoints(none, jittery, 3);
      const tracked = predictPoints({ ...none, tracking: { level: 0.3, trend: 0.3 } }, jittery, 3);
      expect(followed[2]).toBeGreaterThan(1400);
      tracked.forEach((p) => expect(Math.abs(p - 1000)).toBeLessThan(100));
    });

    it('still follow a steady rise: its level and trend settle on the line’s', () => {
      const rising = minutes(Array.from({ length: 60 }, (_, i) => 1000 + 10 * i));
      const [next] = predictPoints({ ...none, tracking: { level: 0.3, trend: 0.2 } }, rising, 1);
      expect(next).toBeCloseTo(1590 + 10 * 0.8, 0);
    });

    // The jitter above, then a surge: five datapoints rising 200 a step.
    const surging = minutes([...jittery.values.slice(0, 40), ...[1, 2, 3, 4, 5].map((k) => 1000 + 200 * k)]);
    const falling = minutes([...jittery.values.slice(0, 40), ...[1, 2, 3, 4, 5].map((k) => 1000 - 150 * k)]);

    it('rise toward 1 on a surge, where datapoints keep landing above the forecast, and follow it', () => {
      const followed = predictPoints(none, surging, 3);
      const tracked = predictPoints({ ...none, tracking: { level: 0.5, trend: 0.2 } }, surging, 3);
      // With the weights held at 0.5 and 0.2, the forecast 3 steps ahead would be 2,132, 11% below.
      tracked.forEach((p, i) => expect(p).toBeGreaterThan(0.98 * followed[i]!));
    });

    it('leave a fall smoothed, since scale-in waits out its own window anyway', () => {
      const followed = predictPoints(none, falling, 3);
      const tracked = predictPoints({ ...none, tracking: { level: 0.5, trend: 0.2 } }, falling, 3);
      tracked.forEach((p, i) => expect(p).toBeGreaterThan(followed[i]! + 100));
    });

    it('carry the level across a gap with the trend', () => {
      const rising = minutes(Array.from({ length: 60 }, (_, i) => 1000 + 10 * i));
      const gapped = { ...rising, values: rising.values.map((v, i) => (i >= 50 && i < 55 ? NaN : v)) };
      const tracking = { level: 0.5, trend: 0.5 };
      expect(predictPoints({ ...none, tracking }, gapped, 1)[0]).toBeCloseTo(predictPoints({ ...none, tracking }, rising, 1)[0]!, 0);
    });

    it('forecast a steady metric as it is, whatever the weights', () => {
      const weight = fc.constantFrom(1, 0.5, 0.3, 0.2, 0.05);
      fc.assert(
        fc.property(weight, weight, fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 1, max: 90 }), (level, trend, value, length) => {
          const points = predictPoints({ ...none, tracking: { level, trend } }, minutes(Array(length).fill(value)), 5);
          points.forEach((p) => expect(p).toBeCloseTo(value, 6));
        }),
      );
    });

    it('read back far enough that older datapoints weigh under 2%', () => {
      expect([{ level: 1, trend: 1 }, { level: 0.5, trend: 1 }, { level: 0.3, trend: 0.2 }].map(trackingSteps)).toEqual([5, 8, 20]);
    });
  });

  describe('a metric that updates every 5 steps', () => {
    const none: Seasonal = { method: 'none', stepSeconds: 60, epoch: 0, profile: [], period: 1, sampleSteps: 5 };
    const times = Array.from({ length: 13 }, (_, i) => i * 60);
    // Updates at steps 0, 5 and 10 (100, 150, 200); the last visible step, 12, is two steps after one.
    const held = { times, values: times.map((_, i) => [100, 150, 200][Math.floor(i / 5)]!), visible: 13 };
    const sparse = { times, values: held.values.map((v, i) => (i % 5 === 0 ? v : NaN)), visible: 13 };

    it('forecasts from its latest update, with the trend between the last two updates', () => {
      const damped = (n: number) => Array.from({ length: n }, (_, i) => 0.8 ** (i + 1)).reduce((a, b) => a + b, 0);
      const points = Array.from(predictPoints(none, held, 3));
      // Step 13 is 3 steps after the update at step 10, whose trend is (200 - 150) / 5 a step.
      points.forEach((p, i) => expect(p).toBeCloseTo(200 + 10 * damped(i + 3), 9));
    });

    it('forecasts alike whether the reads between updates repeat the value or find no datapoint', () => {
      expect(predictPoints(none, sparse, 6)).toEqual(predictPoints(none, held, 6));
    });

    it('reads its band never less than one update ahead', () => {
      const model: ForecastModel = {
        method: 'none', stepSeconds: 60, epoch: 0, profile: [], period: 1, sampleSteps: 5, smoothingSeconds: 0, tracking: FOLLOW_LATEST, scores: [],
        quantile: 0.8, levels: [], bands: Array.from({ length: 10 }, (_, h) => [(h + 1) * 1000]),
      };
      expect([1, 4, 5, 7].map((h) => bandAt(model, h, 0))).toEqual([5000, 5000, 5000, 7000]);
      expect(bandAt({ ...model, sampleSteps: 1 }, 1, 0)).toBe(1000);
    });
  });
});
