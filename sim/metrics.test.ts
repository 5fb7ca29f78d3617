import { describe, expect, it } from 'vitest';
import { MetricsAccumulator } from './metrics';

describe('SPEC elasticity metrics', () => {
  it.each([
    { name: 'exact supply is neither under nor over', steps: [[4, 4]], expected: { underTimeShare: 0, overTimeShare: 0, underAccuracy: 0, overAccuracy: 0 } },
    { name: 'one of two steps short by half', steps: [[4, 2], [4, 4]], expected: { underTimeShare: 50, overTimeShare: 0, underAccuracy: 25, overAccuracy: 0 } },
    { name: 'one of four steps double', steps: [[2, 4], [2, 2], [2, 2], [2, 2]], expected: { underTimeShare: 0, overTimeShare: 25, underAccuracy: 0, overAccuracy: 25 } },
  ])('$name', ({ steps, expected }) => {
    const m = new MetricsAccumulator();
    for (const [demand, ready] of steps) m.add(60, demand!, demand! * 1000, ready!, ready!, 1000);
    expect(m.result()).toMatchObject(expected);
  });

  it('counts unit-hours from running units, unserved connection-minutes and actions per day', () => {
    const m = new MetricsAccumulator();
    for (let i = 0; i < 1440; i++) m.add(60, 3, 2500, 2, 5, 1000);
    m.countAction();
    m.countAction();
    expect(m.result()).toMatchObject({ unitHours: 120, unservedConnectionMinutes: 500 * 1440, actionsPerDay: 2, days: 1 });
  });
});
