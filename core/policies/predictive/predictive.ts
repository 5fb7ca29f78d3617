import type { Evaluation, PolicyContext } from '../policy';
import { scaleInLimit } from '../rate-limits/rate-limit';
import { stabilize } from '../rate-limits/stabilization';
import { peakUnits } from './schedule';
import type { PredictivePolicy } from './schema';

/**
 * Proposes the most units the stored schedule needs between now and one start-up time plus the
 * scheduling buffer ahead, so they are serving when the forecast says they will be needed.
 */
export function evaluatePredictive(policy: PredictivePolicy, ctx: PolicyContext): Evaluation {
  const name = policy.name;
  const schedule = ctx.observation.schedules?.[name];
  const lead = policy.startupSeconds + policy.schedulingBufferSeconds;
  const until = ctx.now + lead + policy.holdSeconds;
  const needed = schedule === undefined ? undefined : peakUnits(schedule, ctx.now, ctx.now + lead);
  if (schedule === undefined || needed === undefined) {
    return { proposal: { policy: name, reason: 'NoForecast', message: `${name}: no stored forecast covers now; the reactive policies decide` } };
  }
  // Both cover `now` whenever `needed` does: they read the same window, further.
  const held = peakUnits(schedule, ctx.now, until)!;
  const kept = peakUnits(schedule, ctx.now, until, 'keep')!;
  const current = ctx.capacity;
  const head = `${name}: the forecast needs ${needed} unit(s) within the next ${lead}s and ${held} within ${lead + policy.holdSeconds}s${kept > held ? ` (${kept} to keep on scale-in)` : ''}`;
  const raised = policy.maxCapacityBreachBehavior === 'IncreaseMaxCapacity' ? Math.ceil(held * (1 + policy.maxCapacityBuffer / 100)) : undefined;
  const withMax = raised === undefined ? {} : { maxCapacity: raised };

  if (policy.mode === 'forecastOnly') {
    return { proposal: { policy: name, reason: 'ForecastOnly', message: `${head} (forecastOnly: not applied)` } };
  }
  if (needed > current) return { proposal: { policy: name, desired: held, reason: 'PredictiveScaleOut', message: head }, recommendation: kept, ...withMax };
  const recent = ctx.state.recommendations[name] ?? [];
  const wanted = stabilize(kept, current, recent, ctx.now, { scaleOutSeconds: 0, scaleInSeconds: policy.scaleIn.stabilizationSeconds });
  const remember = { recommendation: kept, ...withMax };
  const threshold = current * (1 - policy.scaleInThresholdPercent / 100);
  if (wanted >= threshold) {
    return { proposal: { policy: name, desired: current, reason: 'PredictiveHold', message: head }, ...remember };
  }

  const limit = scaleInLimit(current, ctx.state.scaleEvents, policy.scaleIn, ctx.now);
  if (wanted < limit) {
    const message = `${head}; ${policy.scaleIn.selectPolicy === 'Disabled' ? 'scale-in is disabled' : `rate limit allows ${limit} now`}`;
    return { proposal: { policy: name, desired: limit, reason: 'ScaleInRateLimited', message, scaleInBelow: Math.max(threshold, limit + 1) }, ...remember };
  }
  return { proposal: { policy: name, desired: wanted, reason: 'PredictiveScaleIn', message: `${head}; scales in to ${wanted}`, scaleInBelow: threshold }, ...remember };
}
