import { describe, expect, it } from 'vitest';
import { FOLLOW_LATEST, type ForecastModel } from '../../forecast/model';
import { peakUnits, scheduledUnits, scheduleFromModel, type ScheduleSpec } from './schedule';

/** A flat forecast (level only) whose band grows by 1,000 connections a step, whatever the level. */
const model: ForecastModel = {
  method: 'none',
  stepSeconds: 60,
  sampleSteps: 1,
  epoch: 0,
  profile: [],
  period: 1,
  quantile: 0.8,
  levels: [],
  bands: Array.from({ length: 20 }, (_, h) => [(h + 1) * 1000]),
  smoothingSeconds: 0,
  tracking: FOLLOW_LATEST,
  scores: [{ method: 'none', smoothingSeconds: 0, tracking: FOLLOW_LATEST, error: 0.1 }],
};
/** 5,000 connections at every minute up to t = 540: the last datapoint is one step before now = 600. */
const observed = { times: Array.from({ length: 10 }, (_, i) => i * 60), values: Array(10).fill(5000), visible: 10 };
const spec = (bandHorizonSeconds: number, holdSeconds = 300): ScheduleSpec => ({
  startupSeconds: 60,
  schedulingBufferSeconds: 60,
  holdSeconds,
  connectionsPerUnit: 1000,
  scaleIn: { bandHorizonSeconds },
});

describe('scheduleFromModel', () => {
  it('gives every step the band of the lead horizon (3 steps from the last datapoint) for scale-out', () => {
    const s = scheduleFromModel(model, observed, spec(0));
    expect(s.start).toBe(600);
    // lead 120 s + hold 300 s from now: 8 steps; 5,000 + the 3-step band of 3,000 = 8 units.
    expect(s.units).toEqual(Array(8).fill(8));
    expect(s.keep).toBeUndefined();
  });

  it("gives scale-in the band of each step's own horizon, up to the scale-in band horizon", () => {
    const s = scheduleFromModel(model, observed, spec(360));
    expect(s.units).toEqual(Array(8).fill(8));
    // Horizons 1..8 steps: the lead band (3 steps) up to step 3, then each step's own, capped at 6 steps.
    expect(s.keep).toEqual([8, 8, 8, 9, 10, 11, 11, 11]);
  });

  it('a scale-in band horizon within the lead time changes nothing', () => {
    expect(scheduleFromModel(model, observed, spec(120)).keep).toBeUndefined();
  });

  it('peakUnits reads keep for scale-in and units for scale-out', () => {
    const s = scheduleFromModel(model, observed, spec(360));
    expect([peakUnits(s, 600, 1020), peakUnits(s, 600, 1020, 'keep'), peakUnits(s, 600, 720, 'keep')]).toEqual([8, 11, 8]);
    expect(peakUnits({ start: 0, stepSeconds: 60, units: [3, 4] }, 0, 60, 'keep')).toBe(4);
  });

  it('with a metric that updates every 5 steps, each step needs what its next update will show', () => {
    const point = [1000, 1000, 1000, 1000, 1000, 1000, 4000, 4000];
    const exact = { ...model, bands: [[0]] };
    const policy = spec(0);
    expect(scheduledUnits(exact, observed, point, policy)).toEqual([1, 1, 1, 1, 1, 1, 4, 4]);
    expect(scheduledUnits({ ...exact, sampleSteps: 5 }, observed, point, policy)).toEqual([1, 1, 4, 4, 4, 4, 4, 4]);
  });
});
