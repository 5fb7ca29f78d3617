import { describe, expect, it } from 'vitest';
import { alarmObservation } from './alarm-reason';

describe('the datapoints in an alarm\'s reason data', () => {
  it.each([
    { name: 'reason data with datapoints and threshold', reason: '{"recentDatapoints":[1,2],"threshold":3}', threshold: undefined, expected: { threshold: 3, datapoints: [{ value: 1 }, { value: 2 }] } },
    { name: "the alarm's threshold when the reason has none", reason: '{"recentDatapoints":[1]}', threshold: 9, expected: { threshold: 9, datapoints: [{ value: 1 }] } },
    { name: 'nothing when there are no datapoints', reason: '{"threshold":3}', threshold: 3, expected: undefined },
    { name: 'nothing when the reason is not JSON', reason: 'Threshold Crossed', threshold: 3, expected: undefined },
  ])('alarmObservation: $name', ({ reason, threshold, expected }) => {
    expect(alarmObservation(reason, threshold)).toEqual(expected);
  });
});
