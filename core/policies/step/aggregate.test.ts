import { describe, expect, it } from 'vitest';
import { aggregate } from './aggregate';

describe('aggregating an alarm datapoints', () => {
  it.each([
    { name: 'the mean of ordinary values', values: [1, 2, 6], type: 'Average' as const, expected: 3 },
    { name: 'the mean of values whose sum overflows stays finite', values: [1e308, 1e308], type: 'Average' as const, expected: 1e308 },
    { name: 'the mean of the largest values of both signs', values: [1.7e308, -1.7e308], type: 'Average' as const, expected: 0 },
    { name: 'the minimum', values: [4, -2, 9], type: 'Minimum' as const, expected: -2 },
    { name: 'the maximum', values: [4, -2, 9], type: 'Maximum' as const, expected: 9 },
  ])('$name', ({ values, type, expected }) => {
    expect(aggregate(values, type)).toBe(expected);
  });
});
