import { z } from 'zod';
import { seconds } from '../../config/fields';
import { checkStepRules, stepPolicyFields } from '../step/schema';

/** An EC2 Auto Scaling step policy (PutScalingPolicy, PolicyType StepScaling). */
export const ec2StepPolicySchema = z
  .strictObject({
    type: z.literal('ec2-step'),
    ...stepPolicyFields,
    /** Seconds a new unit warms up; when absent, the target's warmupSeconds. */
    EstimatedInstanceWarmup: seconds.optional(),
  })
  .superRefine(checkStepRules);

export type Ec2StepPolicy = z.output<typeof ec2StepPolicySchema>;
