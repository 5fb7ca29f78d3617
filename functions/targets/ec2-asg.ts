import { DescribeAutoScalingGroupsCommand, SetDesiredCapacityCommand, type AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { z } from 'zod';
import { AdapterError } from '../errors';
import type { ScalingTarget } from './scaling-target';

export const ec2AsgResource = z.strictObject({ autoScalingGroupName: z.string().min(1) });
export type Ec2AsgResource = z.output<typeof ec2AsgResource>;

/** An EC2 Auto Scaling group: capacity is its DesiredCapacity. Our own cooldowns apply, so AWS's are not honored. */
export function ec2AsgTarget(autoscaling: Pick<AutoScalingClient, 'send'>, resource: Ec2AsgResource): ScalingTarget {
  const name = resource.autoScalingGroupName;
  return {
    kind: 'ec2-asg',
    async describe() {
      const out = await autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }));
      const group = out.AutoScalingGroups?.find((g) => g.AutoScalingGroupName === name);
      if (group?.DesiredCapacity === undefined) throw new AdapterError(`Auto Scaling group ${name} not found`);
      return { desired: group.DesiredCapacity, min: group.MinSize, max: group.MaxSize };
    },
    async setDesired(desired) {
      await autoscaling.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: name, DesiredCapacity: desired, HonorCooldown: false }));
    },
  };
}
