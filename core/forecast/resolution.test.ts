import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { holdBetweenUpdates, sampleStepsOf } from './resolution';

/** 200 distinct values, each shown for `k` steps: repeated, or followed by k - 1 missing datapoints. */
const updates = (k: number, between: 'repeat' | 'missing') =>
  Array.from({ length: 200 * k }, (_, i) => (i % k === 0 || between === 'repeat' ? 1000 + Math.floor(i / k) * 7 : NaN));

/** Integers 0 to 3 from a fixed pseudo-random sequence: a quarter of neighbours are equal by chance. */
const noisyCount = (n: number) => {
  let x = 42;
  return Array.from({ length: n }, () => Math.floor((x = (x * 1103515245 + 12345) % 2147483648) / 2 ** 29));
};

describe('sampleStepsOf', () => {
  it.each([
    ['a metric that changes every step', Array.from({ length: 500 }, (_, i) => 1000 + i), 1],
    ['a 5-minute metric repeated every minute', updates(5, 'repeat'), 5],
    ['a 5-minute metric with no datapoint in between', updates(5, 'missing'), 5],
    ['a 30-minute metric repeated every minute', updates(30, 'repeat'), 30],
    ['a metric held longer than an hour (a flat metric, not a coarse one)', updates(90, 'repeat'), 1],
    ['a constant metric', Array<number>(500).fill(42), 1],
    ['a small count with chance repeats', noisyCount(1000), 1],
    ['too few updates to tell', updates(5, 'repeat').slice(0, 50), 1],
    ['an empty history', [], 1],
  ])('%s: %i', (_name, values, expected) => {
    expect(sampleStepsOf(values)).toBe(expected);
  });

  it('counts two equal reports in a row as one interval twice as long, and still finds the interval', () => {
    const values = updates(5, 'repeat');
    for (let i = 50; i < 55; i++) values[i] = values[45]!;
    expect(sampleStepsOf(values)).toBe(5);
  });

  it('finds any interval up to an hour, whatever the values, as long as consecutive reports differ', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.array(fc.integer(), { minLength: 21, maxLength: 60 }), fc.boolean(), (k, reports, missing) => {
        const distinct = reports.map((r, i) => r * 2 + (i % 2)); // neighbours differ in parity
        const values = distinct.flatMap((v) => Array.from({ length: k }, (_, j) => (j === 0 || !missing ? v : NaN)));
        expect(sampleStepsOf(values)).toBe(k);
      }),
    );
  });
});

describe('holdBetweenUpdates', () => {
  it('repeats each datapoint over a gap shorter than the interval, and leaves a longer outage missing', () => {
    const values = [1, NaN, NaN, 2, NaN, NaN, NaN, NaN, NaN, 3];
    expect(holdBetweenUpdates(values, 3)).toEqual([1, 1, 1, 2, 2, 2, NaN, NaN, NaN, 3]);
  });

  it('changes nothing for a metric that updates every step', () => {
    expect(holdBetweenUpdates([1, NaN, 3], 1)).toEqual([1, NaN, 3]);
  });
});
