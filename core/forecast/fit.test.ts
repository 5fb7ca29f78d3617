import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../errors';
import { DEFAULT_FIT_OPTIONS, fitForecastModel } from './fit';
import { FOLLOW_LATEST } from './model';
import { forecastFrom } from './predict';

const STEP = 300;
const DAY = 86_400;
const START = 1_700_000_000 - (1_700_000_000 % (7 * DAY));

/** A series at 5-minute steps: `f(t)` plus deterministic pseudo-random noise of relative size `noise`. */
function series(days: number, f: (t: number) => number, noise = 0): { times: number[]; values: number[] } {
  const times: number[] = [];
  const values: number[] = [];
  let x = 123456789;
  for (let t = START; t < START + days * DAY; t += STEP) {
    x = (x * 1103515245 + 12345) % 2147483648;
    times.push(t);
    values.push(f(t) * (1 + noise * (x / 2147483648 - 0.5) * 2));
  }
  return { times, values };
}

const daily = (t: number) => 1000 + 800 * Math.sin((2 * Math.PI * (t % DAY)) / DAY);
const weekly = (t: number) => daily(t) * (Math.floor((t - START) / DAY) % 7 >= 5 ? 0.4 : 1);
const fit = (s: { times: number[]; values: number[] }) => fitForecastModel(s.times, s.values, { ...DEFAULT_FIT_OPTIONS, stepSeconds: STEP });

/** Mean absolute error of the next 48 hours' point forecast against the truth, relative to its mean. */
function accuracy(s: { times: number[]; values: number[] }, truth: (t: number) => number): number {
  const forecast = forecastFrom(fit(s), { ...s, visible: s.times.length }, (2 * DAY) / STEP);
  let err = 0;
  let total = 0;
  forecast.point.forEach((p, i) => {
    const actual = truth(forecast.start + i * STEP);
    err += Math.abs(p - actual);
    total += actual;
  });
  return err / total;
}

describe('fitForecastModel', () => {
  it('learns a daily pattern and forecasts two days of it closely', () => {
    expect(accuracy(series(4, daily), daily)).toBeLessThan(0.02);
  });

  it('picks a weekly profile when weekends differ, and uses it to forecast them', () => {
    const s = series(15, weekly);
    expect(fit(s).method).toMatch(/weekly|blend/);
    expect(accuracy(s, weekly)).toBeLessThan(0.1);
  });

  it('keeps a sharp recurring peak (an hourly job) unsmoothed, and forecasts each run of it', () => {
    const job = (t: number) => (t % 3600 === 55 * 60 ? 20_000 : 1000);
    const s = series(4, job, 0.05);
    const model = fit(s);
    expect(model.smoothingSeconds).toBe(0);
    const error = (smoothed: boolean) => model.scores.find((c) => c.method === model.method && c.smoothingSeconds > 0 === smoothed)!.error;
    expect(error(true)).toBeGreaterThan(5 * error(false));
    // Forecast from a quiet minute, so the latest error is that of the base load, not of the job's noise.
    const visible = s.times.findLastIndex((t) => t % 3600 === 25 * 60) + 1;
    const forecast = forecastFrom(model, { ...s, visible }, (6 * 3600) / STEP);
    // Within a tenth of the job's peak everywhere: the job's runs stand out, and so does the quiet between them.
    forecast.point.forEach((p, i) => expect(Math.abs(p - job(forecast.start + i * STEP))).toBeLessThan(2000));
  });

  it('tolerates gaps in the history', () => {
    const s = series(4, daily);
    for (let i = 200; i < 400; i++) s.values[i] = NaN;
    expect(accuracy(s, daily)).toBeLessThan(0.03);
  });

  it('follows a level shift in the last hours instead of the old level', () => {
    const shifted = (t: number) => daily(t) + (t >= START + 4 * DAY - 6 * 3600 ? 1500 : 0);
    const s = series(4, shifted);
    const forecast = forecastFrom(fit(s), { ...s, visible: s.times.length }, 12);
    expect(Math.abs(forecast.point[0]! - shifted(forecast.start)) / shifted(forecast.start)).toBeLessThan(0.05);
  });

  it('sets an upper band that covers about the quantile asked for on noisy data', () => {
    const s = series(10, daily, 0.3);
    const model = fit(s);
    const cut = s.times.length - DAY / STEP;
    let covered = 0;
    let total = 0;
    for (let origin = cut; origin < s.times.length - 1; origin++) {
      const f = forecastFrom(model, { ...s, visible: origin }, 1);
      total++;
      if (s.values[origin]! <= f.upper[0]!) covered++;
    }
    expect(covered / total).toBeGreaterThan(0.95);
    expect(covered / total).toBeLessThanOrEqual(1);
    expect(model.bands[0]!.every((b) => b > 0)).toBe(true);
  });

  it('refuses less than 24 hours of history, saying how much there was', () => {
    const s = series(0.5, daily);
    expect(() => fit(s)).toThrow(InvalidInputError);
    expect(() => fit(s)).toThrow('forecasting needs at least 24 hours of history, got 12.0 hours');
  });

  it('refuses a history that spans a day but is mostly an outage', () => {
    const s = series(3, daily);
    for (let i = 0; i < 648; i++) s.values[i] = NaN;
    expect(() => fit(s)).toThrow('forecasting needs at least 24 hours of datapoints, got 18.0 hours (648 of 864 steps missing)');
  });

  it('reads a metric that reports every 4th step as held between reports, and forecasts it as well as one that repeats', () => {
    const s = series(3, daily);
    const held = { times: s.times, values: s.values.map((_, i) => s.values[i - (i % 4)]!) };
    const sparse = { times: s.times, values: held.values.map((v, i) => (i % 4 === 0 ? v : NaN)) };
    const [a, b] = [fit(sparse), fit(held)];
    expect([a.sampleSteps, b.sampleSteps]).toEqual([4, 4]);
    expect(a.bands).toEqual(b.bands);
    // Two steps after a report, the gap-filled and the repeating metric give the same forecast.
    const visible = s.times.length - 1;
    expect(forecastFrom(a, { ...sparse, visible }, 24).point).toEqual(forecastFrom(b, { ...held, visible }, 24).point);
    expect(accuracy(sparse, daily)).toBeLessThan(0.05);
  });

  it('sees a metric that updates every step as such, even when its values repeat by chance', () => {
    const s = series(3, daily, 0.3);
    const rounded = { times: s.times, values: s.values.map((v) => Math.round(v / 400) * 400) };
    expect(fit(rounded).sampleSteps).toBe(1);
  });

  it('averages out a noisy metric’s jitter when that forecasts better than following the latest datapoint', () => {
    const model = fit(series(4, daily, 0.3));
    expect(model.tracking.level).toBeLessThan(1);
    const followed = model.scores.find((c) => c.method === model.method && c.smoothingSeconds === model.smoothingSeconds && c.tracking === FOLLOW_LATEST)!;
    expect(model.scores.find((c) => c.tracking === model.tracking)!.error).toBeLessThan(0.8 * followed.error);
  });

  it('follows the latest datapoint of a smooth metric that drifts off its daily profile', () => {
    const drifting = (t: number) => daily(t) + 500 * Math.sin((2 * Math.PI * t) / (7.3 * 3600));
    const model = fit(series(4, drifting));
    expect(model.tracking).toEqual(FOLLOW_LATEST);
    expect(model.scores.some((c) => c.tracking.level < 1)).toBe(true);
  });

  it('tries no tracking weights on a metric that updates every few steps: its trend spans two updates', () => {
    const s = series(3, daily, 0.3);
    const held = { times: s.times, values: s.values.map((_, i) => s.values[i - (i % 4)]!) };
    expect(fit(held).scores.every((c) => c.tracking === FOLLOW_LATEST)).toBe(true);
  });

  it('keeps a previous choice for a day after it was made, refitting only the profile and the bands', () => {
    const s = series(9, weekly, 0.1);
    const upTo = (hours: number) => {
      const n = s.times.length - (9 * DAY - hours * 3600) / STEP;
      return { times: s.times.slice(0, n), values: s.values.slice(0, n) };
    };
    const options = { ...DEFAULT_FIT_OPTIONS, stepSeconds: STEP };
    const first = fitForecastModel(upTo(8 * 24).times, upTo(8 * 24).values, options);
    expect(first.selectedAt).toBe(upTo(8 * 24).times.at(-1));

    const hourLater = upTo(8 * 24 + 1);
    const refit = fitForecastModel(hourLater.times, hourLater.values, options, first);
    expect({ method: refit.method, tracking: refit.tracking, scores: refit.scores, selectedAt: refit.selectedAt }).toEqual({ method: first.method, tracking: first.tracking, scores: first.scores, selectedAt: first.selectedAt });
    expect(refit.profile).not.toEqual(first.profile);

    const dayLater = upTo(9 * 24);
    expect(fitForecastModel(dayLater.times, dayLater.values, options, first).selectedAt).toBe(dayLater.times.at(-1));
    // A choice for another band, or at another step, is never kept.
    expect(fitForecastModel(hourLater.times, hourLater.values, { ...options, quantile: 0.8 }, first).selectedAt).toBe(hourLater.times.at(-1));
  });

  it('scores the weekly candidates afresh once a week of history makes them possible', () => {
    const s = series(8, weekly, 0.1);
    const n = (days: number) => Math.round((days * DAY) / STEP);
    const options = { ...DEFAULT_FIT_OPTIONS, stepSeconds: STEP };
    const beforeWeek = fitForecastModel(s.times.slice(0, n(7.9)), s.values.slice(0, n(7.9)), options);
    expect(beforeWeek.scores.some((c) => c.method === 'weekly')).toBe(false);
    const afterWeek = fitForecastModel(s.times.slice(0, n(8)), s.values.slice(0, n(8)), options, beforeWeek);
    expect(afterWeek.scores.some((c) => c.method === 'weekly')).toBe(true);
  });

  it('never forecasts negative load', () => {
    const falling = series(2, (t) => Math.max(0, 5000 - ((t - START) / (2 * DAY)) * 6000));
    expect(forecastFrom(fit(falling), { ...falling, visible: falling.times.length }, 288).point.every((p) => p >= 0)).toBe(true);
  });
});
