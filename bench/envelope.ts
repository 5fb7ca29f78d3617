import { TraceCursor, type Trace, runOptions, simulate, type RunSettings, type Controller } from '../sim';
import { unitsFor } from '../core';

/** Standard deviations above the mean, from loose to tight: the yardstick's cost curve against τU. */
const DEVIATIONS = [1, 1.5, 2, 2.25, 2.5, 2.75, 3, 3.25, 3.5, 4] as const;
/** The span around each moment whose demand the yardstick knows. */
const WINDOW_SECONDS = 3600;

/**
 * A clairvoyant yardstick, not a policy: at each step, capacity is the mean of the demand in the hour
 * around the moment its units would be ready plus `deviations` of its standard deviation. It knows the
 * coming hour's level and spread exactly, though not which minute peaks: what a perfect forecast of the
 * level would buy on noise that no forecast predicts minute by minute.
 */
export function envelope(trace: Trace, o: Pick<RunSettings, 'perUnit' | 'startupSeconds' | 'stepSeconds' | 'minCapacity' | 'maxCapacity'>, deviations: number): Controller {
  const start = trace.times[0]!;
  const cursor = new TraceCursor(trace);
  const steps = Math.floor((trace.times.at(-1)! - start) / o.stepSeconds) + 1;
  const demand = Float64Array.from({ length: steps }, (_, k) => cursor.valueAt(start + k * o.stepSeconds));
  const lead = Math.ceil(o.startupSeconds / o.stepSeconds);
  const half = Math.round(WINDOW_SECONDS / 2 / o.stepSeconds);
  return {
    periodSeconds: o.stepSeconds,
    decide({ now }) {
      const at = Math.round((now - start) / o.stepSeconds) + lead;
      const window = Array.from(demand.subarray(Math.max(0, at - half), Math.min(steps, at + half + 1))).filter(Number.isFinite);
      const mean = window.reduce((a, b) => a + b, 0) / Math.max(window.length, 1);
      const sd = Math.sqrt(window.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(window.length, 1));
      return Math.min(o.maxCapacity, Math.max(o.minCapacity, unitsFor(mean + deviations * sd, o.perUnit)));
    },
  };
}

/** The cheapest yardstick whose τU is no worse than `underTimeShare`; undefined when none reaches it. */
export function envelopeAt(trace: Trace, o: RunSettings, underTimeShare: number): { readonly deviations: number; readonly underTimeShare: number; readonly unitHours: number } | undefined {
  const runs = DEVIATIONS.map((deviations) => ({ deviations, ...simulate(trace, envelope(trace, o, deviations), runOptions(trace, o)).metrics }));
  return runs.filter((r) => r.underTimeShare <= underTimeShare + 1e-9).sort((a, b) => a.unitHours - b.unitHours)[0];
}
