import { alarmSchema, evaluateAlarm, unitsFor } from '../../core';
import { BACKTEST_DEFAULTS } from '../defaults';
import { perUnitAverages, type Controller } from '../../sim';

export interface BaselineLimits {
  readonly targetPerUnit: number;
  readonly minCapacity: number;
  readonly maxCapacity: number;
}

/**
 * AWS target tracking as it behaves: a scale-out alarm after 3 one-minute datapoints above the target,
 * a scale-in alarm after 15 below 90% of it, a 300 s scale-in cooldown; on alarm, capacity becomes
 * ceil(metric total / target).
 */
export function awsTargetTracking(limits: BaselineLimits, d = BACKTEST_DEFAULTS.awsTargetTracking): Controller {
  const scaleOut = alarmSchema.parse({ comparison: 'GreaterThanThreshold', threshold: limits.targetPerUnit, evaluationPeriods: d.scaleOutDatapoints });
  const scaleIn = alarmSchema.parse({
    comparison: 'LessThanThreshold',
    threshold: limits.targetPerUnit * d.scaleInThresholdRatio,
    evaluationPeriods: d.scaleInDatapoints,
  });
  let lastScaleIn = -Infinity;
  return {
    periodSeconds: d.periodSeconds,
    decide({ now, history, observed, desired }) {
      const wanted = Math.min(limits.maxCapacity, Math.max(limits.minCapacity, unitsFor(observed, limits.targetPerUnit)));
      if (evaluateAlarm(scaleOut, perUnitAverages(history, scaleOut.evaluationPeriods)) && wanted > desired) return wanted;
      const inAlarm = evaluateAlarm(scaleIn, perUnitAverages(history, scaleIn.evaluationPeriods)) !== undefined;
      if (inAlarm && wanted < desired && now - lastScaleIn >= d.scaleInCooldownSeconds) {
        lastScaleIn = now;
        return wanted;
      }
      return Math.min(limits.maxCapacity, Math.max(limits.minCapacity, desired));
    },
  };
}
