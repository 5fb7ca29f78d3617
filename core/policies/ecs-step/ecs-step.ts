import type { Evaluation, PolicyContext } from '../policy';
import { adjustCapacity } from '../step/adjustment';
import { isEvaluation, matchStep } from '../step/match';
import type { EcsStepPolicy } from './schema';

/**
 * Application Auto Scaling step scaling (ECS services). During a scale-out cooldown the capacity already
 * added counts against the next scale-out, which happens only if it asks for more; scale-in is blocked
 * while any cooldown runs; a scale-out is never blocked (and it ends a scale-in cooldown, see the engine).
 */
export function evaluateEcsStep(policy: EcsStepPolicy, ctx: PolicyContext): Evaluation {
  const alarm = ctx.observation.alarms[policy.name];
  const match = matchStep(policy, alarm, alarm?.datapoints.map((p) => p.value));
  if (isEvaluation(match)) return match;

  const name = policy.name;
  const current = ctx.capacity;
  const cooldown = ctx.state.cooldown;
  const adjustment = match.step.ScalingAdjustment;
  const exact = policy.AdjustmentType === 'ExactCapacity';
  const scalingOut = exact ? adjustment > current : adjustment > 0;
  const scalingIn = exact ? adjustment < current : adjustment < 0;

  if (scalingOut) {
    const inOutCooldown = cooldown?.direction === 'out';
    const base = inOutCooldown ? cooldown.baseCapacity : current;
    const { capacity: wanted, explanation } = adjustCapacity(policy.AdjustmentType, adjustment, base, policy.MinAdjustmentMagnitude);
    const during = inOutCooldown ? ` (scale-out cooldown until ${cooldown.until}: capacity added since ${base} counts)` : '';
    const head = `${name}: ${match.summary} ${explanation} -> ${wanted}${during}`;
    if (wanted > current) return { proposal: { policy: name, desired: wanted, reason: 'StepScaleOut', message: head } };
    return {
      proposal: { policy: name, desired: current, reason: inOutCooldown ? 'CooldownAbsorbed' : 'StepNoChange', message: `${head}; stays at ${current}` },
    };
  }

  const { capacity: wanted, explanation } = adjustCapacity(policy.AdjustmentType, adjustment, current, policy.MinAdjustmentMagnitude);
  const head = `${name}: ${match.summary} ${explanation} -> ${wanted}`;
  if (scalingIn && wanted < current) {
    if (cooldown !== null) {
      const message = `${head}, but scale-in is blocked by the ${cooldown.direction === 'in' ? 'scale-in' : 'scale-out'} cooldown until ${cooldown.until}; stays at ${current}`;
      return { proposal: { policy: name, desired: current, reason: 'InCooldown', message } };
    }
    return { proposal: { policy: name, desired: wanted, reason: 'StepScaleIn', message: head } };
  }
  return { proposal: { policy: name, desired: current, reason: 'StepNoChange', message: `${head}; stays at ${current}` } };
}
