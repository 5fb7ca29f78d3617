import type { Evaluation, PolicyContext } from '../policy';
import { warmingUnits } from '../../warmup';
import { adjustCapacity } from '../step/adjustment';
import { isEvaluation, matchStep } from '../step/match';
import type { Ec2StepPolicy } from './schema';

/**
 * EC2 Auto Scaling step scaling. Units still warming up count toward capacity for the next scale-out
 * (so a scale-out adds only what they do not already cover) but neither toward the aggregated metric nor
 * toward the in-service capacity that adjustments apply to; scale-in waits until warm-up ends.
 */
export function evaluateEc2Step(policy: Ec2StepPolicy, ctx: PolicyContext): Evaluation {
  const alarm = ctx.observation.alarms[policy.name];
  const values = alarm?.datapoints.filter((p) => !p.warming).map((p) => p.value);
  const match = matchStep(policy, alarm, values);
  if (isEvaluation(match)) return match;

  const name = policy.name;
  const current = ctx.capacity;
  const warming = warmingUnits(ctx.state.warmups, current);
  const inService = current - warming;
  const { capacity: wanted, explanation } = adjustCapacity(
    policy.AdjustmentType,
    match.step.ScalingAdjustment,
    inService,
    policy.MinAdjustmentMagnitude,
  );
  const head = `${name}: ${match.summary} ${explanation} -> ${wanted}`;
  const direction = Math.sign(wanted - (policy.AdjustmentType === 'ExactCapacity' ? current : inService));

  if (direction > 0) {
    if (wanted > current) return { proposal: { policy: name, desired: wanted, reason: 'StepScaleOut', message: head } };
    const covered = warming > 0 ? `, already covered by ${warming} unit(s) warming up` : '';
    return {
      proposal: { policy: name, desired: current, reason: warming > 0 ? 'WarmupAbsorbed' : 'StepNoChange', message: `${head}${covered}; stays at ${current}` },
    };
  }
  if (direction < 0) {
    if (warming > 0) {
      const message = `${head}, but scale-in waits for ${warming} unit(s) warming up; stays at ${current}`;
      return { proposal: { policy: name, desired: current, reason: 'ScaleInBlockedByWarmup', message } };
    }
    return { proposal: { policy: name, desired: wanted, reason: 'StepScaleIn', message: head } };
  }
  return { proposal: { policy: name, desired: current, reason: 'StepNoChange', message: `${head}; stays at ${current}` } };
}
