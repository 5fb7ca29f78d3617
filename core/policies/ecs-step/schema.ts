import { z } from 'zod';
import { seconds } from '../../config/fields';
import { checkStepRules, stepPolicyFields } from '../step/schema';

/** An Application Auto Scaling step policy (StepScalingPolicyConfiguration), as used for ECS services. */
export const ecsStepPolicySchema = z
  .strictObject({
    type: z.literal('ecs-step'),
    ...stepPolicyFields,
    Cooldown: seconds.default(300),
  })
  .superRefine(checkStepRules);

export type EcsStepPolicy = z.output<typeof ecsStepPolicySchema>;
