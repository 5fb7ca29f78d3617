import { describe, expect, it } from 'vitest';
import { shown } from './local';

describe("local mode's decision log", () => {
  it.each([
    { name: 'a scale-out', d: { current: 2, desired: 4, reason: 'ScaleOut' }, holds: false, printed: true },
    { name: 'a predictive hold', d: { current: 3, desired: 3, reason: 'PredictiveHold' }, holds: false, printed: false },
    { name: 'a stabilized scale-in', d: { current: 3, desired: 3, reason: 'ScaleInStabilized' }, holds: false, printed: false },
    { name: 'an error', d: { current: 3, desired: 3, reason: 'Error' }, holds: false, printed: true },
    { name: 'a predictive hold with --holds', d: { current: 3, desired: 3, reason: 'PredictiveHold' }, holds: true, printed: true },
  ])('prints $name: $printed', ({ d, holds, printed }) => {
    expect(shown(d, holds)).toBe(printed);
  });
});
