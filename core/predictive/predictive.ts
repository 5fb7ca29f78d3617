import type { Evaluation, PolicyContext } from '../policy-context';
import { scaleInLimit } from '../target-tracking/rate-limit';
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
  const wanted = schedule === undefined ? undefined : peakUnits(schedule, ctx.now, ctx.now + lead);
  if (wanted === undefined) {
    return { proposal: { policy: name, reason: 'NoForecast', message: `${name}: no stored forecast covers now; the reactive policies decide` } };
  }
  const current = ctx.capacity;
  const head = `${name}: the forecast needs ${wanted} unit(s) within the next ${lead}s`;
  const raised = policy.maxCapacityBreachBehavior === 'IncreaseMaxCapacity' ? Math.ceil(wanted * (1 + policy.maxCapacityBuffer / 100)) : undefined;
  const withMax = raised === undefined ? {} : { maxCapacity: raised };

  if (policy.mode === 'forecastOnly') {
    return { proposal: { policy: name, reason: 'ForecastOnly', message: `${head} (forecastOnly: not applied)` } };
  }
  if (wanted > current) return { proposal: { policy: name, desired: wanted, reason: 'PredictiveScaleOut', message: head }, ...withMax };
  if (wanted === current) return { proposal: { policy: name, desired: current, reason: 'PredictiveHold', message: head }, ...withMax };

  const limit = scaleInLimit(current, ctx.state.scaleEvents, { stabilizationSeconds: 0, ...policy.scaleIn }, ctx.now);
  if (wanted < limit) {
    const message = `${head}; ${policy.scaleIn.selectPolicy === 'Disabled' ? 'scale-in is disabled' : `rate limit allows ${limit} now`}`;
    return { proposal: { policy: name, desired: limit, reason: 'ScaleInRateLimited', message }, ...withMax };
  }
  return { proposal: { policy: name, desired: wanted, reason: 'PredictiveScaleIn', message: head }, ...withMax };
}
