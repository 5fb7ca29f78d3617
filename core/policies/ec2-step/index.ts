import { definePolicy } from '../policy';
import { alarmDriven } from '../step/alarm-driven';
import { evaluateEc2Step } from './ec2-step';
import { ec2StepPolicySchema, type Ec2StepPolicy } from './schema';

/** EC2 Auto Scaling step scaling: driven by its alarm; the units it launches warm up for its own warm-up. */
export const ec2Step = definePolicy<Ec2StepPolicy>({
  type: 'ec2-step',
  // EC2 Auto Scaling's own policy type.
  platform: 'ec2-auto-scaling',
  schema: ec2StepPolicySchema,
  ...alarmDriven,
  propose: evaluateEc2Step,
  afterScaling: (policy) => (policy.EstimatedInstanceWarmup === undefined ? {} : { warmupSeconds: policy.EstimatedInstanceWarmup }),
});
