import type { ReasonCode } from '../../decision';
import type { Evaluation, PolicyContext } from '../policy';
import { scaleInLimit, scaleOutLimit } from '../rate-limits/rate-limit';
import type { TargetTrackingPolicy } from './schema';
import { stabilize } from '../rate-limits/stabilization';

/**
 * Target tracking on a per-unit metric: desired = ceil(total / targetPerUnit), held while within the
 * tolerance band, then stabilized (scale-in takes the highest recommendation of its window) and rate-limited.
 * The metric's presence and validity are checked by the engine before any policy runs.
 */
export function evaluateTargetTracking(policy: TargetTrackingPolicy, ctx: PolicyContext): Evaluation {
  const name = policy.name;
  const total = ctx.observation.metrics[policy.metric]!;
  const current = ctx.capacity;
  const perUnit = current > 0 ? total / current : total;
  const usage = `${Math.round(total)} ${policy.metric} on ${current} unit(s) (${round1(perUnit)}/unit, target ${round1(policy.targetPerUnit)})`;

  const ideal = ceilTolerant(total / policy.targetPerUnit);
  const withinTolerance = current > 0 && Math.abs(total / (current * policy.targetPerUnit) - 1) <= policy.tolerance;
  const raw = withinTolerance ? current : ideal;

  const history = ctx.state.recommendations[name] ?? [];
  const windows = { scaleOutSeconds: policy.scaleOut.stabilizationSeconds, scaleInSeconds: policy.scaleIn.stabilizationSeconds };
  const stabilized = stabilize(raw, current, history, ctx.now, windows);

  let desired = stabilized;
  let reason: ReasonCode;
  let detail: string;
  if (withinTolerance) {
    reason = 'WithinTolerance';
    detail = `within ${policy.tolerance * 100}% tolerance; stays at ${current}`;
  } else if (stabilized !== raw) {
    reason = raw < current ? 'ScaleInStabilized' : 'ScaleOutStabilized';
    const window = raw < current ? windows.scaleInSeconds : windows.scaleOutSeconds;
    detail = `wants ${raw}, held at ${stabilized} by the ${window}s stabilization window`;
  } else if (raw > current) {
    reason = 'TargetTrackingScaleOut';
    detail = `wants ${raw}`;
  } else if (raw < current) {
    reason = 'TargetTrackingScaleIn';
    detail = `wants ${raw}`;
  } else {
    reason = 'WithinTolerance';
    detail = `on target; stays at ${current}`;
  }

  if (desired > current) {
    const limit = scaleOutLimit(current, ctx.state.scaleEvents, policy.scaleOut, ctx.now);
    if (desired > limit) {
      reason = policy.scaleOut.selectPolicy === 'Disabled' ? 'ScaleOutDisabled' : 'ScaleOutRateLimited';
      detail += reason === 'ScaleOutDisabled' ? '; scale-out is disabled' : `; rate limit allows ${limit} now`;
      desired = limit;
    }
  } else if (desired < current) {
    if (policy.scaleIn.selectPolicy === 'Disabled') {
      // Like AWS's DisableScaleIn: no scale-in of its own, but no other policy may go below what it needs.
      const message = `${name}: ${usage} ${detail}; scale-in is disabled, so ${desired} is only a floor`;
      return { proposal: { policy: name, desired, reason: 'ScaleInDisabled', message, floorOnly: true }, recommendation: raw };
    }
    const limit = scaleInLimit(current, ctx.state.scaleEvents, policy.scaleIn, ctx.now);
    if (desired < limit) {
      reason = 'ScaleInRateLimited';
      detail += `; rate limit allows ${limit} now`;
      desired = limit;
    }
  }
  return { proposal: { policy: name, desired, reason, message: `${name}: ${usage} ${detail}` }, recommendation: raw };
}

/** ceil() that does not add a unit for floating-point noise (2100 / 700 = 3.0000000000000004). */
function ceilTolerant(x: number): number {
  return Math.ceil(x - 1e-9 * Math.max(1, Math.abs(x)));
}

const round1 = (n: number) => Math.round(n * 10) / 10;
