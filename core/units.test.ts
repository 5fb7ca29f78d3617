import { describe, expect, it } from 'vitest';
import { unitsFor } from './units';

describe('unitsFor', () => {
  it.each([
    [0, 0],
    [1, 1],
    [1000, 1],
    [1000.0000001, 1],
    [1001, 2],
  ])('unitsFor(%d connections) at 1000 per unit is %d', (connections, units) => {
    expect(unitsFor(connections, 1000)).toBe(units);
  });
});
