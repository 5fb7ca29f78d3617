import { definePolicy } from '../policy';
import { alarmDriven } from '../step/alarm-driven';
import { evaluateEcsStep } from './ecs-step';
import { ecsStepPolicySchema, type EcsStepPolicy } from './schema';

/** Application Auto Scaling step scaling (ECS): driven by its alarm; each change starts its Cooldown. */
export const ecsStep = definePolicy<EcsStepPolicy>({
  type: 'ecs-step',
  // Application Auto Scaling's own policy type.
  platform: 'application-auto-scaling',
  schema: ecsStepPolicySchema,
  ...alarmDriven,
  propose: evaluateEcsStep,
  afterScaling: (policy) => ({ cooldownSeconds: policy.Cooldown }),
});
