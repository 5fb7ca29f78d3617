import { describe, expect, it } from 'vitest';
import { decide } from '../../engine';
import { emptyState } from '../../state';
import { Loop, observe, target } from '../../testing';

const tracking = (extra: Record<string, unknown> = {}) => ({ type: 'target-tracking', name: 'connections', targetPerUnit: 700, ...extra });
const fleet = (extra: Record<string, unknown> = {}, limits: Record<string, unknown> = {}) =>
  target({ minCapacity: 0, maxCapacity: 500, ...limits, policies: [tracking(extra)] });

const once = (config: ReturnType<typeof fleet>, capacity: number, connections: number) =>
  decide({ target: config, observation: observe(capacity, { metrics: { connections } }), state: emptyState(), now: 1000 });

describe('target tracking on open connections per unit', () => {
  it.each([
    { name: 'ceil(connections / target) units', capacity: 10, connections: 14_001, expected: 21, reason: 'TargetTrackingScaleOut' },
    { name: 'an exact multiple needs no extra unit', capacity: 10, connections: 2100 * 7, expected: 21, reason: 'TargetTrackingScaleOut' },
    { name: 'within the 10% tolerance nothing changes', capacity: 10, connections: 7_600, expected: 10, reason: 'WithinTolerance' },
    { name: 'just outside the tolerance it scales out', capacity: 10, connections: 7_800, expected: 12, reason: 'TargetTrackingScaleOut' },
    { name: 'with no stabilization window it scales in at once', capacity: 10, connections: 3_500, expected: 5, reason: 'TargetTrackingScaleIn' },
    { name: 'from zero units it scales to what the load needs', capacity: 0, connections: 1_500, expected: 3, reason: 'TargetTrackingScaleOut' },
    { name: 'zero load on zero units stays at zero', capacity: 0, connections: 0, expected: 0, reason: 'WithinTolerance' },
  ])('$name', ({ capacity, connections, expected, reason }) => {
    const decision = once(fleet({ scaleOut: { policies: [{ type: 'Percent', value: 900, periodSeconds: 60 }, { type: 'Units', value: 10, periodSeconds: 60 }] }, scaleIn: { stabilizationSeconds: 0 } }), capacity, connections);
    expect([decision.desired, decision.reason]).toEqual([expected, reason]);
  });

  it('says what it saw and what it wants', () => {
    expect(once(fleet(), 10, 14_001).message).toBe('connections: 14001 connections on 10 unit(s) (1400.1/unit, target 700) wants 21; rate limit allows 20 now');
  });
});

describe('scale-in stabilization window (highest recommendation over the window wins)', () => {
  it('holds scale-in at the highest recommendation of the last 300 s, then follows it down', () => {
    const loop = new Loop(fleet(), 20);
    const rows = [
      { at: 0, connections: 14_000, expected: 20, reason: 'WithinTolerance' },
      { at: 60, connections: 7_000, expected: 20, reason: 'ScaleInStabilized' },
      { at: 120, connections: 3_500, expected: 20, reason: 'ScaleInStabilized' },
      { at: 299, connections: 3_500, expected: 20, reason: 'ScaleInStabilized' },
      // The window is (now - 300, now]: the 20 from t=0 has left it, the 10 from t=60 holds.
      { at: 300, connections: 3_500, expected: 10, reason: 'ScaleInStabilized' },
      { at: 360, connections: 3_500, expected: 5, reason: 'TargetTrackingScaleIn' },
    ];
    for (const row of rows) {
      const d = loop.step(row.at, { metrics: { connections: row.connections } });
      expect({ at: row.at, desired: d.desired, reason: d.reason }).toEqual({ at: row.at, desired: row.expected, reason: row.reason });
    }
  });

  it('never delays scale-out by default', () => {
    const loop = new Loop(fleet(), 10);
    loop.step(0, { metrics: { connections: 7_000 } });
    expect(loop.step(60, { metrics: { connections: 9_100 } }).desired).toBe(13);
  });

  it('a scale-out stabilization window holds scale-out at the lowest recent recommendation', () => {
    const loop = new Loop(fleet({ scaleOut: { stabilizationSeconds: 120 } }), 10);
    loop.step(0, { metrics: { connections: 7_000 } });
    const d = loop.step(60, { metrics: { connections: 14_000 } });
    expect([d.desired, d.reason]).toEqual([10, 'ScaleOutStabilized']);
    expect(loop.step(121, { metrics: { connections: 14_000 } }).desired).toBe(20);
  });
});

describe('per-direction rate limits', () => {
  it.each([
    { name: 'default scale-out: the larger of +100% and +4 units per minute', extra: {}, capacity: 2, expected: 6 },
    { name: 'default scale-out from 10: +100% allows 20', extra: {}, capacity: 10, expected: 20 },
    { name: 'a Units limit alone', extra: { scaleOut: { policies: [{ type: 'Units', value: 3, periodSeconds: 60 }] } }, capacity: 10, expected: 13 },
    { name: 'selectPolicy Min takes the stricter limit', extra: { scaleOut: { selectPolicy: 'Min' } }, capacity: 10, expected: 14 },
    { name: 'selectPolicy Disabled never scales out', extra: { scaleOut: { selectPolicy: 'Disabled' } }, capacity: 10, expected: 10 },
  ])('$name', ({ extra, capacity, expected }) => {
    expect(once(fleet(extra), capacity, 70_000).desired).toBe(expected);
  });

  it('counts capacity already added within the period', () => {
    const loop = new Loop(fleet({ scaleOut: { policies: [{ type: 'Units', value: 4, periodSeconds: 60 }] } }), 10);
    expect(loop.step(0, { metrics: { connections: 70_000 } }).desired).toBe(14);
    const held = loop.step(30, { metrics: { connections: 70_000 } });
    expect([held.desired, held.reason]).toEqual([14, 'ScaleOutRateLimited']);
    expect(loop.step(61, { metrics: { connections: 70_000 } }).desired).toBe(18);
  });

  it.each([
    { name: 'a Percent scale-in limit', extra: { scaleIn: { stabilizationSeconds: 0, policies: [{ type: 'Percent', value: 25, periodSeconds: 60 }] } }, expected: 15, reason: 'ScaleInRateLimited' },
    { name: 'a Units scale-in limit', extra: { scaleIn: { stabilizationSeconds: 0, policies: [{ type: 'Units', value: 2, periodSeconds: 60 }] } }, expected: 18, reason: 'ScaleInRateLimited' },
    { name: 'scale-in disabled', extra: { scaleIn: { stabilizationSeconds: 0, selectPolicy: 'Disabled' } }, expected: 20, reason: 'ScaleInDisabled' },
  ])('$name', ({ extra, expected, reason }) => {
    const d = once(fleet(extra), 20, 700);
    expect([d.desired, d.reason]).toEqual([expected, reason]);
  });
});
