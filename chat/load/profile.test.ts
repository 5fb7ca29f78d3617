import { describe, expect, it } from 'vitest';
import { rampProfile, traceProfile } from './profile';

describe('load profiles', () => {
  it.each([
    ['the start of a ramp', rampProfile(1000, 10), 0, 0],
    ['the middle of a ramp', rampProfile(1000, 10), 5, 500],
    ['after the ramp', rampProfile(1000, 10), 60, 1000],
    ['no ramp', rampProfile(300, 0), 0, 300],
  ])('holds the right connections at %s', (_, profile, t, expected) => {
    expect(profile(t)).toBe(expected);
  });

  it('plays a trace faster by the compression factor, interpolating between samples', () => {
    const trace = { times: [0, 300, 600], values: [100, 400, 200] };
    const profile = traceProfile(trace, 60);
    expect([0, 2.5, 5, 7.5, 10, 20].map(profile)).toEqual([100, 250, 400, 300, 200, 200]);
  });
});
