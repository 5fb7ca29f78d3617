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
