import type { ForecastModel } from '../forecast/model';
import { bandAt, predictPoints, type Observed } from '../forecast/predict';
import type { EpochSeconds } from '../time';

/** Units the forecast asks for, one value per `stepSeconds` from `start`: what a forecast refresh stores. */
export interface CapacitySchedule {
  readonly start: EpochSeconds;
  readonly stepSeconds: number;
  readonly units: readonly number[];
}

/** units[i] = ceil(upper[i] / connectionsPerUnit): the capacity each forecast step needs. */
export function capacitySchedule(start: EpochSeconds, stepSeconds: number, upper: readonly number[], connectionsPerUnit: number): CapacitySchedule {
  return { start, stepSeconds, units: upper.map((u) => Math.max(0, Math.ceil(u / connectionsPerUnit - 1e-9))) };
}

/** The most units the schedule needs over [from, to], or undefined if it does not cover `from`. */
export function peakUnits(schedule: CapacitySchedule, from: EpochSeconds, to: EpochSeconds): number | undefined {
  const first = Math.floor((from - schedule.start) / schedule.stepSeconds);
  if (first < 0 || first >= schedule.units.length) return undefined;
  const last = Math.min(schedule.units.length - 1, Math.floor((to - schedule.start) / schedule.stepSeconds));
  let peak = 0;
  for (let i = first; i <= last; i++) peak = Math.max(peak, schedule.units[i]!);
  return peak;
}

/**
 * The capacity schedule a predictive policy acts on, from a fitted model and the latest datapoints:
 * units = ceil((point + band) / connectionsPerUnit) over `horizonSeconds`. Each step will be forecast
 * again one lead time before it is needed, so every step gets the band of the lead horizon.
 */
export function scheduleFromModel(
  model: ForecastModel,
  observed: Observed,
  o: { readonly leadSeconds: number; readonly horizonSeconds: number; readonly connectionsPerUnit: number },
): CapacitySchedule {
  const step = model.stepSeconds;
  // From the last datapoint (one step old) to the end of the window a decision must cover.
  const leadSteps = Math.ceil(o.leadSeconds / step) + 1;
  const steps = Math.ceil(o.horizonSeconds / step) + 1;
  const point = predictPoints(model, observed, steps);
  const upper = Array.from(point, (p) => p + bandAt(model, leadSteps, p));
  return capacitySchedule(observed.times[observed.visible - 1]! + step, step, upper, o.connectionsPerUnit);
}

/** How far ahead a predictive policy looks, and so how far its schedule must reach. */
export function scheduleHorizonSeconds(policy: { readonly startupSeconds: number; readonly schedulingBufferSeconds: number; readonly holdSeconds: number }): number {
  return policy.startupSeconds + policy.schedulingBufferSeconds + policy.holdSeconds;
}
