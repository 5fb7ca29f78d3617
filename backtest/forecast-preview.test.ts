import { describe, expect, it } from 'vitest';
import { InvalidInputError, type PredictivePolicy } from '../core';
import { target } from '../core/testing';
import type { Trace } from '../sim';
import { previewForecast } from './forecast-preview';

const DAY = 86_400;
const STEP = 300;
/** Four days at 5 minutes: a daily cycle between 5,000 and 15,000 connections, with up to ±1,000 of noise. */
const times = Array.from({ length: (4 * DAY) / STEP }, (_, i) => i * STEP);
const daily: Trace = { times, values: times.map((t, i) => 10_000 + 5000 * Math.sin((2 * Math.PI * t) / DAY) + 2000 * (((i * 7919) % 101) / 101 - 0.5)) };
const policy = target({ policies: [{ type: 'predictive', name: 'forecast', connectionsPerUnit: 1000, bandQuantile: 0.9 }] }).policies[0] as PredictivePolicy;

describe('previewForecast', () => {
  it('fits on the trace up to `at` and forecasts the horizon at the given step', () => {
    const at = 3 * DAY;
    const preview = previewForecast(daily, policy, { stepSeconds: STEP, at, horizonSeconds: 6 * 3600 });
    expect(preview.history).toEqual({ from: 0, to: at, points: (3 * DAY) / STEP + 1 });
    expect(preview.model.method).not.toBe('none');
    expect(preview.rows).toHaveLength((6 * 3600) / STEP);
    expect(preview.rows[0]!.time).toBe(at + STEP);
    for (const row of preview.rows) {
      expect(row.upper).toBeGreaterThanOrEqual(row.point);
      expect(row.units).toBeGreaterThanOrEqual(Math.ceil(row.point / 1000 - 1e-9));
    }
  });

  it('checks the forecast against what followed, where the trace goes on', () => {
    const { check, rows } = previewForecast(daily, policy, { stepSeconds: STEP, at: 3 * DAY - STEP, horizonSeconds: DAY });
    expect(rows.every((r) => r.actual !== undefined)).toBe(true);
    expect(check!.steps).toBe(DAY / STEP);
    // A flat forecast at the mean would be off by 32% of it (2/π of the cycle's ±50%); the profile follows
    // the cycle, and the band covers clearly more of what came than the point forecast does.
    expect(check!.meanAbsoluteError).toBeLessThan(0.2);
    const pointCoverage = rows.filter((r) => r.actual! <= r.point).length / rows.length;
    expect(check!.bandCoverage).toBeGreaterThan(pointCoverage + 0.1);
    expect(check!.bandCoverage).toBe(rows.filter((r) => r.actual! <= r.upper).length / rows.length);
  });

  it('has no check past the end of the trace, and stops comparing where the trace stops', () => {
    const end = daily.times[daily.times.length - 1]!;
    expect(previewForecast(daily, policy, { stepSeconds: STEP, at: end, horizonSeconds: 3600 }).check).toBeUndefined();
    const { check, rows } = previewForecast(daily, policy, { stepSeconds: STEP, at: end - 3600, horizonSeconds: 2 * 3600 });
    expect(check!.steps).toBe(12);
    expect(rows.filter((r) => r.actual === undefined)).toHaveLength(12);
  });

  it.each([
    { name: 'before the trace', at: -STEP, message: 'the forecast must start within the trace' },
    { name: 'after the trace', at: 5 * DAY, message: 'the forecast must start within the trace' },
    { name: 'with less than a day before it', at: DAY / 2, message: 'forecasting needs at least 24 hours of history' },
  ])('refuses a start $name', ({ at, message }) => {
    expect(() => previewForecast(daily, policy, { stepSeconds: STEP, at, horizonSeconds: 3600 })).toThrow(InvalidInputError);
    expect(() => previewForecast(daily, policy, { stepSeconds: STEP, at, horizonSeconds: 3600 })).toThrow(message);
  });
});
