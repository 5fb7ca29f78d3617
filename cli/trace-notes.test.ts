import { describe, expect, it } from 'vitest';
import { describeTrace, outlierWarning } from './trace-notes';

const minutes = (values: number[]) => ({ times: values.map((_, i) => 1_700_000_040 + 60 * i), values });
const flat = (n: number, v = 100) => Array.from({ length: n }, () => v);

describe('a sample far above the rest', () => {
  it.each([
    { name: 'a clean trace', values: flat(50), warned: false },
    { name: 'a spike 50 times the median (real load can do that)', values: [...flat(49), 5000], warned: false },
    { name: 'one sample of 1e300', values: [...flat(20), 1e300, ...flat(29)], warned: true },
    { name: 'an all-zero trace (no median to compare with)', values: flat(50, 0), warned: false },
  ])('$name: warned $warned', ({ values, warned }) => {
    expect(outlierWarning(minutes(values)) !== undefined).toBe(warned);
  });

  it('is told under the trace, with how far above the median and where', () => {
    const text = describeTrace(minutes([...flat(20), 1e300, ...flat(29)]));
    expect(text.split('\n')).toEqual([
      '50 samples every 60 s, 0.03 days from 2023-11-14 22:14 to 2023-11-14 23:03 UTC',
      'warning: 1 sample(s) above 1,000 times the median, the largest 1.0e+298 times it, at 2023-11-14 22:34 UTC: a misread value dominates every figure scaled from this trace; check the file',
    ]);
  });
});
