import { applyTuning, moveToward, RETUNING, type Objective, type TargetConfig, type TunedSettings } from '../../core';
import { type MetricBetweenSamples, sliceTrace, type Trace, tuneTarget, MIN_TUNING_DAYS, type Controller, deployedController } from '../../sim';

const DAY = 86_400;

/** One re-tuning as it happened in a simulation: when, on which days, and what it applied. */
export interface Retuning {
  readonly at: number;
  readonly historyFrom: number;
  readonly chosen: TunedSettings;
  readonly applied: TunedSettings;
  readonly met: boolean;
}

function lastSampleAtOrBefore(trace: Trace, time: number): number {
  let lo = 0;
  let hi = trace.times.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (trace.times[mid]! <= time) lo = mid;
    else hi = mid - 1;
  }
  return trace.times[lo]!;
}

/**
 * A configured target with an objective, simulated as deployed with re-tuning (RETUNING): the engine
 * decides with the stored settings applied, and once a day (once 3 days of history are visible) the
 * settings are re-tuned on the trace up to that moment only (at most its last 14 days, the last of them
 * held out) and moved toward the choice by at most a step. `onRetune` sees each re-tuning.
 */
export function retunedController(
  trace: Trace,
  target: TargetConfig,
  objective: Objective,
  o: { readonly perUnit: number; readonly startupSeconds: number; readonly stepSeconds: number; readonly metric?: MetricBetweenSamples },
  onRetune?: (r: Retuning) => void,
): Controller {
  const start = trace.times[0]!;
  let settings: TunedSettings | undefined;
  let tunedAt = -Infinity;
  let current = target;
  const deployed = deployedController(() => current, o.stepSeconds);
  return {
    periodSeconds: o.stepSeconds,
    decide(view) {
      const { now } = view;
      // Only what was known before now: the trace cut at its last sample published by now (a cut between
      // samples would interpolate toward the next one, which is the future).
      const seen = now - tunedAt >= RETUNING.everySeconds ? lastSampleAtOrBefore(trace, view.history.times[view.history.visible - 1]!) : -Infinity;
      if (seen - start >= (MIN_TUNING_DAYS + RETUNING.validationDays) * DAY) {
        const from = Math.max(start, seen - RETUNING.historySeconds);
        const result = tuneTarget(sliceTrace(trace, from, seen), target, { ...o, objective, validationDays: RETUNING.validationDays });
        const best = result.chosen ?? result.closest!;
        settings = moveToward(settings, best.candidate);
        current = applyTuning(target, settings);
        tunedAt = now;
        onRetune?.({ at: now, historyFrom: from, chosen: best.candidate, applied: settings, met: result.chosen !== undefined });
      }
      return deployed.decide(view);
    },
  };
}
