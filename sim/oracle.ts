import { gapSeconds, type Trace, TraceCursor } from './trace';
import { unitsFor } from '../core';
import type { Controller } from './view';

/**
 * The lower bound: every unit is launched exactly one start-up time before it is needed and removed as
 * soon as it is not, so exactly the units demand needs are ready at every step. It reads the future,
 * which only the oracle may. Across a gap of the trace it reads the demand on the far side, and it is
 * asked while the metric is missing, so its units are ready when the data returns: exact across gaps too.
 */
export function oracle(trace: Trace, o: { perUnit: number; startupSeconds: number; stepSeconds: number; minCapacity: number; maxCapacity: number; gapSeconds?: number }): Controller {
  const cursor = new TraceCursor(trace, o.gapSeconds ?? gapSeconds(trace));
  const lookahead = Math.ceil(o.startupSeconds / o.stepSeconds) * o.stepSeconds;
  return {
    periodSeconds: o.stepSeconds,
    readsDemand: true,
    decide({ now }) {
      let need = 0;
      for (let t = now; t <= now + lookahead; t += o.stepSeconds) {
        const demand = cursor.valueAt(t);
        if (Number.isFinite(demand)) need = Math.max(need, unitsFor(demand, o.perUnit));
      }
      return Math.min(o.maxCapacity, Math.max(o.minCapacity, need));
    },
  };
}
