import { describe, expect, it } from 'vitest';
import { alarmSchema, evaluateAlarm } from './alarm';

const high = alarmSchema.parse({ comparison: 'GreaterThanOrEqualToThreshold', threshold: 800, evaluationPeriods: 3, datapointsToAlarm: 2 });

describe('evaluateAlarm (CloudWatch M of N)', () => {
  it.each([
    { name: '2 of the last 3 breaching fires', periods: [100, 900, 850], firing: true },
    { name: 'only 1 of the last 3 breaching does not', periods: [900, 100, 700], firing: false },
    { name: 'older periods do not count', periods: [900, 900, 100, 100, 900], firing: false },
    { name: 'the threshold itself breaches GreaterThanOrEqualToThreshold', periods: [800, 800, 0], firing: true },
    { name: 'missing datapoints neither breach nor count', periods: [900, NaN, NaN], firing: false },
    { name: 'no data at all does not fire', periods: [], firing: false },
  ])('$name', ({ periods, firing }) => {
    expect(evaluateAlarm(high, periods) !== undefined).toBe(firing);
  });

  it('hands the step policy the threshold and the evaluated datapoints', () => {
    expect(evaluateAlarm(high, [1, 900, 850])).toEqual({ threshold: 800, datapoints: [{ value: 1 }, { value: 900 }, { value: 850 }] });
  });

  it.each([
    { comparison: 'GreaterThanThreshold', value: 800, firing: false },
    { comparison: 'LessThanThreshold', value: 799, firing: true },
    { comparison: 'LessThanOrEqualToThreshold', value: 800, firing: true },
    { comparison: 'LessThanThreshold', value: 800, firing: false },
  ] as const)('$comparison at $value', ({ comparison, value, firing }) => {
    expect(evaluateAlarm(alarmSchema.parse({ comparison, threshold: 800 }), [value]) !== undefined).toBe(firing);
  });

  it('rejects M greater than N and a period CloudWatch does not offer', () => {
    const result = alarmSchema.safeParse({ comparison: 'LessThanThreshold', threshold: 1, periodSeconds: 45, evaluationPeriods: 2, datapointsToAlarm: 3 });
    expect(result.success ? [] : result.error.issues.map((i) => i.message)).toEqual([
      'must be 10, 20, 30 or a multiple of 60 (CloudWatch periods)',
      'datapointsToAlarm (3) must not exceed evaluationPeriods (2)',
    ]);
  });
});
