import type { AlarmDefinition } from '../../alarm';
import type { PolicyContext, PolicyInputs } from '../policy';
import { aggregate, type MetricAggregationType } from './aggregate';
import { findStep, type StepAdjustment } from './intervals';

interface AlarmDrivenPolicy {
  readonly name: string;
  readonly alarm?: AlarmDefinition | undefined;
  readonly AdjustmentType: 'ChangeInCapacity' | 'ExactCapacity' | 'PercentChangeInCapacity';
  readonly StepAdjustments: readonly StepAdjustment[];
  readonly MetricAggregationType: MetricAggregationType;
}

/**
 * What both step policy types share as policies: the CloudWatch alarm drives them, and they remember no
 * recommendations and no rate-limited changes (their cooldown or warm-up is their own state transition).
 */
export const alarmDriven = {
  inputs: (policy: { readonly alarm?: AlarmDefinition | undefined }): PolicyInputs => ({ alarm: { definition: policy.alarm } }),
  historySeconds: () => 0,
  rateLimitSeconds: () => 0,
  holdsScaleIn: (policy: AlarmDrivenPolicy, ctx: PolicyContext): string | undefined => {
    const alarm = ctx.observation.alarms[policy.name];
    if (alarm === undefined || !scalesOut(policy, ctx.capacity, alarm.datapoints.map((p) => p.value), alarm.threshold)) return undefined;
    return `${policy.name}'s scale-out alarm is in ALARM`;
  },
};

/**
 * Whether the alarm, as it fires now, asks for more capacity: the step its datapoints fall in adds units
 * (every datapoint counts, warming or not: the demand is there either way). When no step covers the
 * breach, a policy all of whose steps add units is still a scale-out policy.
 */
function scalesOut(policy: AlarmDrivenPolicy, capacity: number, values: readonly number[], threshold: number): boolean {
  const adds = (adjustment: number) => (policy.AdjustmentType === 'ExactCapacity' ? adjustment > capacity : adjustment > 0);
  const finite = values.filter(Number.isFinite);
  const step = finite.length === 0 ? undefined : findStep(policy.StepAdjustments, aggregate(finite, policy.MetricAggregationType) - threshold);
  if (step !== undefined) return adds(step.ScalingAdjustment);
  return policy.AdjustmentType !== 'ExactCapacity' && policy.StepAdjustments.every((s) => s.ScalingAdjustment >= 0) && policy.StepAdjustments.some((s) => s.ScalingAdjustment > 0);
}
