import { type Trace, TraceCursor } from '../trace';
import { unitsFor } from '../../core';
import type { Controller } from '../view';

/**
 * The lower bound: every unit is launched exactly one start-up time before it is needed and removed as
 * soon as it is not, so exactly the units demand needs are ready at every step. It reads the future,
 * which only the oracle may.
 */
export function oracle(trace: Trace, o: { perUnit: number; startupSeconds: number; stepSeconds: number; minCapacity: number; maxCapacity: number }): Controller {
  const cursor = new TraceCursor(trace);
  const lookahead = Math.ceil(o.startupSeconds / o.stepSeconds) * o.stepSeconds;
  return {
    periodSeconds: o.stepSeconds,
    decide({ now }) {
      let need = 0;
      for (let t = now; t <= now + lookahead; t += o.stepSeconds) need = Math.max(need, unitsFor(cursor.valueAt(t), o.perUnit));
      return Math.min(o.maxCapacity, Math.max(o.minCapacity, need));
    },
  };
}
