import { describe, expect, it } from 'vitest';
import { fitForecastModel, forecastFitOptions, type ForecastModel, type PredictivePolicy, scheduleBandSteps, scheduleFromModel } from '../core';
import { target } from '../core/testing';
import { FORECAST_REFRESH_SECONDS, simulatedForecast } from './simulated-forecast';

const STEP = 300;
const DAY = 86_400;
/** Three days at 5 minutes: a daily cycle between 5,000 and 15,000 connections, with up to ±2,000 of noise. */
const times = Array.from({ length: (3 * DAY) / STEP }, (_, i) => i * STEP);
const values = times.map((t, i) => 10_000 + 5000 * Math.sin((2 * Math.PI * t) / DAY) + 4000 * (((i * 7919) % 101) / 101 - 0.5));

const policies = target({
  policies: [
    { type: 'predictive', name: 'forecast', connectionsPerUnit: 1000, scaleIn: { bandHorizonSeconds: 900 } },
    { type: 'predictive', name: 'watch', mode: 'forecastOnly', connectionsPerUnit: 500 },
    { type: 'target-tracking', name: 'reactive', targetPerUnit: 900 },
  ],
}).policies;
const [forecast, watch] = policies as [PredictivePolicy, PredictivePolicy];

/** The history as published `visible` steps into the trace, and the decision time one step later. */
const at = (visible: number) => ({ history: { times, values, visible }, now: times[visible - 1]! + STEP });

/**
 * The model the forecast refresh fits on the first `visible` datapoints, with the options a target's
 * decisions need, given the model it stored before.
 */
function refreshedModel(visible: number, previous?: ForecastModel) {
  const horizonSeconds = (Math.max(scheduleBandSteps(forecast, STEP), scheduleBandSteps(watch, STEP)) + 1) * STEP;
  return fitForecastModel(times.slice(0, visible), values.slice(0, visible), { ...forecastFitOptions(forecast, STEP), horizonSeconds }, previous);
}

describe('simulatedForecast', () => {
  it('is absent for a target without predictive policies', () => {
    expect(simulatedForecast(target({ policies: [{ type: 'target-tracking', name: 'reactive', targetPerUnit: 900 }] }).policies, STEP)).toBeUndefined();
  });

  it('abstains until a day of history is visible, as the refresh cannot fit on less', () => {
    const source = simulatedForecast(policies, STEP)!;
    const day = DAY / STEP;
    const { history, now } = at(day);
    expect(source(history, now)).toBeUndefined();
    expect(source(at(day + 1).history, at(day + 1).now)).toBeDefined();
  });

  it("builds every predictive policy's schedule from one model and the latest datapoints", () => {
    const source = simulatedForecast(policies, STEP)!;
    const visible = DAY / STEP + 12;
    const { history, now } = at(visible);
    const model = refreshedModel(visible);
    expect(source(history, now)).toEqual({ forecast: scheduleFromModel(model, history, forecast), watch: scheduleFromModel(model, history, watch) });
  });

  it('refits once an hour, not at every decision, as the hourly refresh does', () => {
    const source = simulatedForecast(policies, STEP)!;
    const first = DAY / STEP + 12;
    source(at(first).history, at(first).now);
    const stepsPerRefresh = FORECAST_REFRESH_SECONDS / STEP;

    const sooner = at(first + stepsPerRefresh - 1);
    expect(source(sooner.history, sooner.now)!.forecast).toEqual(scheduleFromModel(refreshedModel(first), sooner.history, forecast));
    const due = at(first + stepsPerRefresh);
    const refitted = refreshedModel(first + stepsPerRefresh, refreshedModel(first));
    expect({ profile: refitted.profile, bands: refitted.bands }).not.toEqual({ profile: refreshedModel(first).profile, bands: refreshedModel(first).bands });
    expect(source(due.history, due.now)!.forecast).toEqual(scheduleFromModel(refitted, due.history, forecast));
  });
});
