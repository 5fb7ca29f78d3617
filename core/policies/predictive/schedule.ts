import { DEFAULT_FIT_OPTIONS, type FitOptions } from '../../forecast/fit';
import type { ForecastModel } from '../../forecast/model';
import { bandAt, predictPoints, type Observed } from '../../forecast/predict';
import { spreadBand, spreadForecast } from '../../forecast/spread';
import type { CapacitySchedule } from '../../observation';
import type { EpochSeconds } from '../../time';
import { unitsFor } from '../../units';
import type { PredictivePolicy } from './schema';

/** The parts of a predictive policy that shape its schedule. */
export type ScheduleSpec = Pick<PredictivePolicy, 'startupSeconds' | 'schedulingBufferSeconds' | 'holdSeconds' | 'connectionsPerUnit' | 'spreadDeviations'> & {
  readonly scaleIn: Pick<PredictivePolicy['scaleIn'], 'bandHorizonSeconds'>;
};

/** units[i] = ceil(upper[i] / connectionsPerUnit): the capacity each forecast step needs. */
export function capacitySchedule(start: EpochSeconds, stepSeconds: number, upper: readonly number[], connectionsPerUnit: number): CapacitySchedule {
  return { start, stepSeconds, units: upper.map((u) => unitsFor(u, connectionsPerUnit)) };
}

/** The most units `series` of the schedule needs over [from, to], or undefined if it does not cover `from`. */
export function peakUnits(schedule: CapacitySchedule, from: EpochSeconds, to: EpochSeconds, series: 'units' | 'keep' = 'units'): number | undefined {
  const values = (series === 'keep' ? schedule.keep : undefined) ?? schedule.units;
  const first = Math.floor((from - schedule.start) / schedule.stepSeconds);
  if (first < 0 || first >= values.length) return undefined;
  const last = Math.min(values.length - 1, Math.floor((to - schedule.start) / schedule.stepSeconds));
  let peak = 0;
  for (let i = first; i <= last; i++) peak = Math.max(peak, values[i]!);
  return peak;
}

/**
 * The capacity schedule a predictive policy acts on, from a fitted model and the latest datapoints, over
 * the policy's lead plus hold. Each step will be forecast again one lead time before it is needed, so a
 * scale-out gets the band of the lead horizon. A scale-in gets the band of each step's own horizon, up to
 * the scale-in band horizon: capacity released now can be back no sooner than one lead time later, so
 * releasing what the wider band may need again would only buy a scale-out round trip.
 */
export function scheduleFromModel(model: ForecastModel, observed: Observed, policy: ScheduleSpec): CapacitySchedule {
  const step = model.stepSeconds;
  const leadSteps = scheduleLeadSteps(policy, step);
  const bandSteps = scheduleBandSteps(policy, step);
  const steps = Math.ceil(scheduleHorizonSeconds(policy) / step) + 1;
  const point = predictPoints(model, observed, steps);
  const perUnit = policy.connectionsPerUnit;
  const start = observed.times[observed.visible - 1]! + step;
  const margin = marginOf(model, observed, policy.spreadDeviations);
  const units = unitsWith(margin, model, point, policy);
  if (bandSteps === leadSteps) return { start, stepSeconds: step, units };
  const keep = Array.from(point, (p, i) => Math.max(units[i]!, unitsFor(p + margin(Math.min(bandSteps, Math.max(leadSteps, i + 1)), i, p), perUnit)));
  return { start, stepSeconds: step, units, keep };
}

/**
 * What the schedule adds to the point forecast of step i (from the one after the last datapoint) when
 * it is read `horizon` steps ahead: `deviations` predicted spreads, given a spread model, else the band.
 */
type Margin = (horizon: number, i: number, point: number) => number;

function marginOf(model: ForecastModel, observed: Observed, deviations: number | undefined): Margin {
  const spread = model.spread;
  if (deviations === undefined || spread === undefined) return (horizon, _i, point) => bandAt(model, horizon, point);
  const last = observed.times[observed.visible - 1]!;
  const forecast = spreadForecast(spread, observed.values, observed.visible, last, model.stepSeconds);
  return (horizon, i) => spreadBand(spread, forecast, Math.max(horizon, model.sampleSteps), last + (i + 1) * model.stepSeconds, deviations);
}

/**
 * The units a scale-out provides for each point forecast from the step after the last datapoint
 * observed: its margin (band or spreads) at the lead horizon, since each step is forecast again one lead
 * time before it is needed.
 */
export function scheduledUnits(
  model: ForecastModel,
  observed: Observed,
  point: ArrayLike<number>,
  policy: Pick<ScheduleSpec, 'startupSeconds' | 'schedulingBufferSeconds' | 'connectionsPerUnit' | 'spreadDeviations'>,
): number[] {
  return unitsWith(marginOf(model, observed, policy.spreadDeviations), model, point, policy);
}

/** scheduledUnits, given the margin: a decision builds it once for the units and what a scale-in keeps. */
function unitsWith(margin: Margin, model: ForecastModel, point: ArrayLike<number>, policy: Pick<ScheduleSpec, 'startupSeconds' | 'schedulingBufferSeconds' | 'connectionsPerUnit'>): number[] {
  const leadSteps = scheduleLeadSteps(policy, model.stepSeconds);
  const units = Array.from(point, (p, i) => unitsFor(p + margin(leadSteps, i, p), policy.connectionsPerUnit));
  return aheadOfUpdates(units, model.sampleSteps);
}

/**
 * A metric that updates every `k` steps shows where the load went only at its next update, and the load
 * moves there meanwhile: each step needs what its next update will show, so the most over the `k` steps
 * from it.
 */
function aheadOfUpdates(units: number[], k: number): number[] {
  if (k <= 1) return units;
  return units.map((_, i) => Math.max(...units.slice(i, i + k)));
}

/** How far ahead a predictive policy looks, and so how far its schedule must reach. */
function scheduleHorizonSeconds(policy: Pick<PredictivePolicy, 'startupSeconds' | 'schedulingBufferSeconds' | 'holdSeconds'>): number {
  return policy.startupSeconds + policy.schedulingBufferSeconds + policy.holdSeconds;
}

/** How far ahead (steps from the last datapoint) a model's bands must be measured to build the policy's schedule. */
export function scheduleBandSteps(policy: ScheduleSpec, stepSeconds: number): number {
  return Math.max(scheduleLeadSteps(policy, stepSeconds), Math.ceil(policy.scaleIn.bandHorizonSeconds / stepSeconds));
}

/**
 * How to fit the forecast a predictive policy acts on: at its band quantile, with models scored at the
 * horizon its scale-outs depend on, over the default history and a 48-hour forecast.
 */
export function forecastFitOptions(policy: ScheduleSpec & Pick<PredictivePolicy, 'bandQuantile'>, stepSeconds: number): FitOptions {
  return { ...DEFAULT_FIT_OPTIONS, stepSeconds, quantile: policy.bandQuantile, scoreHorizonSeconds: scheduleLeadSteps(policy, stepSeconds) * stepSeconds };
}

/** Steps from the last datapoint (one step old) to the end of the window a scale-out must cover. */
function scheduleLeadSteps(policy: Pick<PredictivePolicy, 'startupSeconds' | 'schedulingBufferSeconds'>, stepSeconds: number): number {
  return Math.ceil((policy.startupSeconds + policy.schedulingBufferSeconds) / stepSeconds) + 1;
}
