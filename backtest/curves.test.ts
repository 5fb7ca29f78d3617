import { describe, expect, it } from 'vitest';
import { compareToCurves } from './curves';
import type { FrontierPoint } from './sweep';

const point = (policy: string, headroom: number, underTimeShare: number, unitHours: number): FrontierPoint => ({ policy, headroom, underTimeShare, unitHours, costRatio: unitHours / 100 });
const hpaCurve = [point('hpa', -0.2, 5, 110), point('hpa', 0, 2, 120), point('hpa', 0.3, 0.5, 140), point('hpa', 0.5, 0.1, 160)];
const ORACLE = 100;

describe("ours against a baseline's cost curve", () => {
  it.each([
    { name: 'the cheapest setting at ours τU sets the bar, not the default', ours: { underTimeShare: 0.5, unitHours: 125 }, match: 0.3, gapShare: 25 / 40, passes: true },
    { name: 'closing less than a quarter of that gap fails', ours: { underTimeShare: 0.5, unitHours: 135 }, match: 0.3, gapShare: 35 / 40, passes: false },
    { name: 'exactly a quarter passes', ours: { underTimeShare: 0.5, unitHours: 130 }, match: 0.3, gapShare: 0.75, passes: true },
    { name: 'a lower τU for ours needs a costlier setting of the baseline', ours: { underTimeShare: 0.2, unitHours: 140 }, match: 0.5, gapShare: 40 / 60, passes: true },
    { name: 'no setting reaching ours τU passes', ours: { underTimeShare: 0.05, unitHours: 200 }, match: undefined, gapShare: undefined, passes: true },
  ])('$name', ({ ours, match, gapShare, passes }) => {
    const [check] = compareToCurves(ours, ORACLE, [...hpaCurve, point('ours', 0, 0.4, 90), point('oracle', 0, 0, 100)]);
    expect(check!.baseline).toBe('hpa');
    expect(check!.match?.headroom).toBe(match);
    if (gapShare === undefined) expect(check!.gapShare).toBeUndefined();
    else expect(check!.gapShare).toBeCloseTo(gapShare, 9);
    expect(check!.passes).toBe(passes);
  });

  it('checks every baseline in the sweep, and neither ours nor the oracle', () => {
    const checks = compareToCurves({ underTimeShare: 1, unitHours: 120 }, ORACLE, [...hpaCurve, point('aws-step', 0, 0.5, 300), point('ours', 0, 1, 120)]);
    expect(checks.map((c) => c.baseline)).toEqual(['hpa', 'aws-step']);
    expect(checks[1]!.detail).toContain('ours costs 0.400x it and closes 90% of its gap to the oracle');
  });
});
