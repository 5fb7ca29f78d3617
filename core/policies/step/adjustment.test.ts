import { describe, expect, it } from 'vitest';
import { adjustCapacity, roundAdjustment } from './adjustment';

describe('roundAdjustment follows AWS rounding', () => {
  it.each([
    { name: 'above 1 rounds toward zero', value: 12.7, expected: 12 },
    { name: 'between 0 and 1 rounds away from zero', value: 0.67, expected: 1 },
    { name: 'between -1 and 0 rounds away from zero', value: -0.58, expected: -1 },
    { name: 'below -1 rounds toward zero', value: -6.67, expected: -6 },
    { name: 'exactly 1 stays 1', value: 1, expected: 1 },
    { name: 'exactly -1 stays -1', value: -1, expected: -1 },
    { name: 'zero stays zero', value: 0, expected: 0 },
    { name: 'a whole number is kept', value: 3, expected: 3 },
    { name: 'float noise below a whole number keeps it', value: 2.9999999999999996, expected: 3 },
  ])('$name: $value -> $expected', ({ value, expected }) => {
    expect(roundAdjustment(value)).toBe(expected);
  });
});

describe('adjustCapacity applies each adjustment type', () => {
  it.each([
    { name: 'ChangeInCapacity adds', type: 'ChangeInCapacity', adjustment: 3, base: 10, min: undefined, expected: 13 },
    { name: 'ChangeInCapacity never goes below zero', type: 'ChangeInCapacity', adjustment: -5, base: 2, min: undefined, expected: 0 },
    { name: 'ExactCapacity sets the value', type: 'ExactCapacity', adjustment: 7, base: 10, min: undefined, expected: 7 },
    { name: '+10% of 10 adds 1', type: 'PercentChangeInCapacity', adjustment: 10, base: 10, min: undefined, expected: 11 },
    { name: '+30% of 11 (3.3) adds 3', type: 'PercentChangeInCapacity', adjustment: 30, base: 11, min: undefined, expected: 14 },
    { name: '-30% of 13 (3.9) removes 3', type: 'PercentChangeInCapacity', adjustment: -30, base: 13, min: undefined, expected: 10 },
    { name: 'MinAdjustmentMagnitude 2 at 25% of 4 adds 2', type: 'PercentChangeInCapacity', adjustment: 25, base: 4, min: 2, expected: 6 },
    { name: 'MinAdjustmentMagnitude applies to scale-in too', type: 'PercentChangeInCapacity', adjustment: -10, base: 10, min: 3, expected: 7 },
    { name: 'MinAdjustmentMagnitude does not shrink a bigger change', type: 'PercentChangeInCapacity', adjustment: 50, base: 10, min: 2, expected: 15 },
    { name: 'a percentage of zero with a minimum still scales out', type: 'PercentChangeInCapacity', adjustment: 50, base: 0, min: 1, expected: 1 },
  ] as const)('$name', ({ type, adjustment, base, min, expected }) => {
    expect(adjustCapacity(type, adjustment, base, min).capacity).toBe(expected);
  });

  it('explains how a percentage was rounded', () => {
    expect(adjustCapacity('PercentChangeInCapacity', 30, 11, undefined).explanation).toBe('+30% of 11 = +3.3, rounded to +3');
  });
});
