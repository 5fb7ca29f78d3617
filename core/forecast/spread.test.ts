import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scheduleFromModel } from '../policies/predictive/schedule';
import { DEFAULT_FIT_OPTIONS, fitForecastModel } from './fit';
import { selectNth } from './select';
import { fitSpreadShape, spreadAroundTrend, spreadAt, spreadBand, spreadForecast, SpreadErrors } from './spread';

const STEP = 60;
const HOUR = 3600;
const DAY = 86_400;
const START = 1_700_000_000 - (1_700_000_000 % (7 * DAY));

/** Deterministic noise in [-1, 1), a different draw each call. */
function noiseSource(seed = 987654321): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return (x / 2147483648) * 2 - 1;
  };
}

/** A minute series over `days`: a daily level plus noise whose amplitude is `amplitude(t)`. */
function minutes(days: number, amplitude: (t: number) => number, seed?: number): { times: number[]; values: number[] } {
  const noise = noiseSource(seed);
  const times: number[] = [];
  const values: number[] = [];
  for (let t = START; t < START + days * DAY; t += STEP) {
    times.push(t);
    values.push(10_000 + 4000 * Math.sin((2 * Math.PI * (t % DAY)) / DAY) + amplitude(t) * noise());
  }
  return { times, values };
}

/** Noisy from 12:00 to 18:00, quiet otherwise: the noise of the day's busy hours is not a share of the level. */
const afternoonNoise = (t: number) => ((t % DAY) / HOUR >= 12 && (t % DAY) / HOUR < 18 ? 3000 : 300);

describe('spreadAroundTrend', () => {
  it.each([
    { name: 'a straight line has none', values: [1, 2, 3, 4, 5, 6, 7, 8], spread: 0 },
    { name: 'a flat line with alternating ±2 has 2', values: [10, 14, 10, 14, 10, 14, 10, 14], spread: 2 },
    { name: 'a ramp with alternating ±2 still has about 2', values: [-2, 4, 2, 8, 6, 12, 10, 16], spread: 2 },
    { name: 'gaps are skipped', values: [10, NaN, 14, 10, 14, NaN, 10, 14, 10, 14], spread: 2 },
  ])('$name', ({ values, spread }) => {
    expect(spreadAroundTrend(values, 0, values.length)).toBeCloseTo(spread, 0);
  });

  it('says nothing with too few datapoints', () => {
    expect(spreadAroundTrend([1, NaN, 3, NaN, NaN], 0, 5)).toBeNaN();
  });
});

describe('fitSpreadShape', () => {
  it('learns which hours of the day are noisy, whatever their level', () => {
    const s = minutes(8, afternoonNoise);
    const shape = fitSpreadShape(s.times, s.values, STEP, 10_000);
    const slot = (hour: number) => shape.profile[hour]!;
    for (const noisy of [12, 14, 17]) for (const quiet of [2, 8, 20]) expect(slot(noisy)).toBeGreaterThan(4 * slot(quiet));
  });

  it('follows the last hour when the spread persists from hour to hour, and ignores it when it does not', () => {
    // Each day's noise has its own amplitude, the same all day: the hour before says more than the profile.
    const dayAmplitude = (t: number) => [200, 2500, 600, 3000, 300, 1800, 900, 2200, 400][Math.floor((t - START) / DAY)]!;
    const persistent = minutes(9, dayAmplitude);
    const followed = fitSpreadShape(persistent.times, persistent.values, STEP, 10_000).recentWeight;
    expect(followed).toBeGreaterThanOrEqual(0.75);
    // The same amplitude every day at every hour: the hour before adds only its own sampling noise.
    const steady = minutes(9, () => 1000);
    expect(fitSpreadShape(steady.times, steady.values, STEP, 10_000).recentWeight).toBeLessThan(followed);
  });
});

describe('the spread a forecast provisions for', () => {
  const s = minutes(8, afternoonNoise);
  const model = fitForecastModel(s.times, s.values, { ...DEFAULT_FIT_OPTIONS, stepSeconds: STEP, horizonSeconds: 1200 });
  const spread = model.spread!;

  it('is fitted with the model, with an error scale by horizon', () => {
    expect(spread.errorScale.length).toBeGreaterThanOrEqual(3);
    expect(spread.errorScale.every((e) => e > 0)).toBe(true);
  });

  it('is wider in the noisy hours than in the quiet ones, where the band is one width for one level', () => {
    const at = (hour: number) => {
      const visible = s.times.findIndex((t) => t >= START + 7 * DAY + hour * HOUR);
      const observed = { times: s.times, values: s.values, visible };
      const policy = { startupSeconds: 60, schedulingBufferSeconds: 60, holdSeconds: 0, connectionsPerUnit: 100, scaleIn: { bandHorizonSeconds: 120 } };
      const withSpread = scheduleFromModel(model, observed, { ...policy, spreadDeviations: 2 });
      const withBand = scheduleFromModel(model, observed, policy);
      return { spread: spreadBand(spread, spreadForecast(spread, s.values, visible, s.times[visible - 1]!, STEP), 3, s.times[visible - 1]! + 3 * STEP, 2), withSpread, withBand };
    };
    // 15:00 and 21:00 have the same level; only the first is noisy.
    const quiet = at(21);
    const noisy = at(15);
    expect(noisy.spread).toBeGreaterThan(3 * quiet.spread);
    const extra = (r: typeof quiet) => r.withSpread.units[1]! - r.withBand.units[1]!;
    expect(extra(noisy)).toBeGreaterThan(extra(quiet));
    expect(noisy.withSpread.units[1]!).toBeGreaterThan(quiet.withSpread.units[1]! + 10);
  });

  it('grows with the deviations asked for and is never negative', () => {
    const forecast = spreadForecast(spread, s.values, s.values.length, s.times.at(-1)!, STEP);
    fc.assert(
      fc.property(fc.double({ min: 0, max: 10, noNaN: true }), fc.double({ min: 0, max: 10, noNaN: true }), fc.integer({ min: 1, max: 30 }), (a, b, h) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const time = s.times.at(-1)! + h * STEP;
        const low = spreadBand(spread, forecast, h, time, lo);
        expect(low).toBeGreaterThanOrEqual(0);
        expect(spreadBand(spread, forecast, h, time, hi)).toBeGreaterThanOrEqual(low);
      }),
    );
  });

  it('reads only the datapoints visible: later ones change nothing', () => {
    const visible = s.values.length - 500;
    const before = spreadForecast(spread, s.values, visible, s.times[visible - 1]!, STEP);
    const changed = [...s.values.slice(0, visible), ...s.values.slice(visible).map((v) => v * 5)];
    const after = spreadForecast(spread, changed, visible, s.times[visible - 1]!, STEP);
    expect(spreadAt(after, s.times[visible]!)).toBe(spreadAt(before, s.times[visible]!));
  });

  it('falls back to the band for a model fitted before spreads were (no spread in it)', () => {
    const older = Object.fromEntries(Object.entries(model).filter(([key]) => key !== 'spread')) as typeof model;
    const observed = { times: s.times, values: s.values, visible: s.times.length };
    const policy = { startupSeconds: 60, schedulingBufferSeconds: 60, holdSeconds: 0, connectionsPerUnit: 100, scaleIn: { bandHorizonSeconds: 120 } };
    expect(scheduleFromModel(older, observed, { ...policy, spreadDeviations: 2 })).toEqual(scheduleFromModel(older, observed, policy));
  });
});

describe('SpreadErrors', () => {
  it('sums errors robustly: a few spikes do not widen every margin', () => {
    const errors = new SpreadErrors();
    const noise = noiseSource();
    for (let i = 0; i < 1000; i++) errors.add(noise() * 100, 100);
    const calm = errors.stats()!;
    for (let i = 0; i < 20; i++) errors.add(50_000, 100);
    const spiked = errors.stats()!;
    expect(spiked.scale).toBeLessThan(1.1 * calm.scale);
    expect(Math.abs(spiked.mean - calm.mean)).toBeLessThan(0.1);
  });

  it('needs enough errors to say anything', () => {
    const errors = new SpreadErrors();
    errors.add(1, 1);
    expect(errors.stats()).toBeUndefined();
  });
});

describe('selectNth', () => {
  it('finds what sorting would put at the index', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 200 }), fc.nat(), (values, k) => {
        const n = k % values.length;
        const sorted = Float64Array.from(values).sort();
        expect(selectNth(Float64Array.from(values), n)).toBe(sorted[n]);
      }),
    );
  });
});
