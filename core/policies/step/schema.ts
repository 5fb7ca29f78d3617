import { z } from 'zod';
import { alarmSchema } from '../../alarm';
import { metricValue, resourceName, UNITS_LIMIT, units } from '../../config/fields';
import { stepIntervalProblems } from './intervals';

const stepAdjustment = z.strictObject({
  MetricIntervalLowerBound: metricValue.optional(),
  MetricIntervalUpperBound: metricValue.optional(),
  ScalingAdjustment: z
    .number()
    .refine((n) => Number.isInteger(n) && Math.abs(n) <= UNITS_LIMIT, `must be a whole number from -${UNITS_LIMIT.toLocaleString('en-US')} to ${UNITS_LIMIT.toLocaleString('en-US')}`),
});

/** The fields both AWS flavours share, spelled as AWS spells them so an exported policy pastes in unchanged. */
export const stepPolicyFields = {
  name: resourceName,
  AdjustmentType: z.enum(['ChangeInCapacity', 'ExactCapacity', 'PercentChangeInCapacity']),
  StepAdjustments: z.array(stepAdjustment).min(1, 'at least one step adjustment is required'),
  MinAdjustmentMagnitude: units(1).optional(),
  MetricAggregationType: z.enum(['Average', 'Minimum', 'Maximum']).default('Average'),
  /** The CloudWatch alarm that triggers the policy; needed to deploy it or to simulate it. */
  alarm: alarmSchema.optional(),
};

type StepPolicyFields = {
  AdjustmentType: string;
  StepAdjustments: ReadonlyArray<{ MetricIntervalLowerBound?: number | undefined; MetricIntervalUpperBound?: number | undefined; ScalingAdjustment: number }>;
  MinAdjustmentMagnitude?: number | undefined;
};

export function checkStepRules(policy: StepPolicyFields, ctx: z.RefinementCtx): void {
  for (const message of stepIntervalProblems(policy.StepAdjustments)) {
    ctx.addIssue({ code: 'custom', path: ['StepAdjustments'], message });
  }
  if (policy.MinAdjustmentMagnitude !== undefined && policy.AdjustmentType !== 'PercentChangeInCapacity') {
    ctx.addIssue({
      code: 'custom',
      path: ['MinAdjustmentMagnitude'],
      message: `MinAdjustmentMagnitude applies only to AdjustmentType PercentChangeInCapacity, not ${policy.AdjustmentType}`,
    });
  }
  if (policy.AdjustmentType === 'ExactCapacity') {
    policy.StepAdjustments.forEach((step, i) => {
      if (step.ScalingAdjustment < 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['StepAdjustments', i, 'ScalingAdjustment'],
          message: 'ExactCapacity needs a non-negative ScalingAdjustment',
        });
      }
    });
  }
}
