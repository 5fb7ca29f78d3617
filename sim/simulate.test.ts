import { describe, expect, it } from 'vitest';
import type { Trace } from './trace';
import { simulate } from './simulate';
import type { Controller, PolicyView } from './view';

// 10 minutes at 2,000 connections, then 10,000 for 10 minutes, then 2,000 again (instant jumps).
const trace: Trace = { times: [0, 599, 600, 1199, 1200, 1800], values: [2000, 2000, 10_000, 10_000, 2000, 2000] };
const options = { stepSeconds: 60, startupSeconds: 120, perUnit: 1000, evalFrom: 0, initialCapacity: 2 };

function fixed(units: number): Controller {
  return { periodSeconds: 60, decide: () => units };
}

describe('simulate', () => {
  it('shows a policy each datapoint one step after it was taken, and never the future', () => {
    const seen: Array<[number, number]> = [];
    const spy: Controller = {
      periodSeconds: 60,
      decide(view: PolicyView) {
        seen.push([view.now, view.observed]);
        expect(view.history.times[view.history.visible - 1]).toBe(view.now - 60);
        return view.desired;
      },
    };
    simulate(trace, spy, options);
    expect(seen.find(([t]) => t === 600)?.[1]).toBe(2000);
    expect(seen.find(([t]) => t === 660)?.[1]).toBe(10_000);
  });

  it.each([
    { metric: 'interpolated', seen: [1000, 4000, 6000, 5000] },
    { metric: 'held', seen: [1000, 1000, 6000, 6000] },
  ] as const)('shows a policy the metric $metric between 5-minute samples, while demand stays interpolated', ({ metric, seen }) => {
    const observed = new Map<number, number>();
    const spy: Controller = { periodSeconds: 60, decide: (v) => (observed.set(v.now, v.observed), v.desired) };
    const coarse: Trace = { times: [0, 300, 600], values: [1000, 6000, 1000] };
    const { rows } = simulate(coarse, spy, { ...options, metric });
    expect([60, 240, 360, 420].map((t) => observed.get(t))).toEqual(seen);
    expect([...rows].find((r) => r.time === 180)?.demand).toBe(4000);
  });

  it('counts a unit as serving only after start-up, so a late scale-out is under-provisioned meanwhile', () => {
    const reactive: Controller = { periodSeconds: 60, decide: (v) => Math.ceil(v.observed / 1000) };
    const { metrics, rows } = simulate(trace, reactive, options);
    const at = (t: number) => [...rows].find((r) => r.time === t)!;
    expect([at(660).desired, at(660).ready, at(780).ready]).toEqual([10, 2, 10]);
    // Short from 600 (demand jumps) until 780 (units launched at 660 serve): 3 of 31 steps.
    expect(metrics.underTimeShare).toBeCloseTo((3 / 31) * 100, 5);
  });

  it('bills over-provisioning: a fleet fixed at 10 units costs 10 unit-hours an hour', () => {
    const { metrics } = simulate({ times: [0, 3600], values: [1000, 1000] }, fixed(10), { ...options, initialCapacity: 10 });
    expect(metrics.unitHours).toBeCloseTo(10 * (3600 + 60) / 3600, 5);
    expect(metrics.underTimeShare).toBe(0);
  });

  it('refuses a policy that asks for a fractional or negative capacity', () => {
    expect(() => simulate(trace, fixed(-1), options)).toThrow('a policy asked for -1 units');
    expect(() => simulate(trace, fixed(2.5), options)).toThrow('a policy asked for 2.5 units');
  });

  it('neither interpolates nor scores across a gap of several missing samples, holds capacity there, and says how long it was', () => {
    // 5-minute samples with a 2-hour hole: demand across it is unknown, not the straight line from 1,000 to 9,000.
    const times = [0, 300, 600, 900, 8100, 8400, 8700, 9000];
    const values = [1000, 1000, 1000, 1000, 9000, 9000, 9000, 9000];
    const asked: number[] = [];
    const reactive: Controller = { periodSeconds: 60, decide: (v) => (asked.push(v.now), Math.ceil(v.observed / 1000)) };
    const { metrics, rows } = simulate({ times, values }, reactive, options);
    // Each minute-long tick from 960 to 8040 lies inside the gap: 119 of the 151.
    expect(metrics.unscoredHours).toBeCloseTo((119 * 60) / 3600, 5);
    expect(metrics.days).toBeCloseTo(((151 - 119) * 60) / 86_400, 5);
    // Not asked while the latest datapoint is missing (published one step late): from 1020 until 8160.
    expect(asked.filter((t) => t > 960 && t < 8160)).toEqual([]);
    const at = (t: number) => [...rows].find((r) => r.time === t)!;
    expect(Number.isNaN(at(4500).demand)).toBe(true);
    expect(at(4500).desired).toBe(1);
    // The only shortfall scored is the jump at the gap's end, until the units launched then serve.
    expect(metrics.underTimeShare).toBeGreaterThan(0);
  });

  it('interpolates across one or two missing samples', () => {
    const { metrics } = simulate({ times: [0, 300, 600, 1200, 1500, 1800], values: [1000, 1000, 1000, 1000, 1000, 1000] }, fixed(1), { ...options, initialCapacity: 1 });
    expect(metrics.unscoredHours).toBe(0);
  });

  it('counts actions only when the desired capacity changes', () => {
    let n = 0;
    const flip: Controller = { periodSeconds: 60, decide: () => (n++ % 10 < 5 ? 3 : 4) };
    expect(simulate(trace, flip, options).metrics.actionsPerDay * (1860 / 86_400)).toBeCloseTo(6, 5);
  });
});
