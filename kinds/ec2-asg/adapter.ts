import { DescribeAutoScalingGroupsCommand, SetDesiredCapacityCommand, SetInstanceProtectionCommand, type AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { busiest, AdapterError, type ScalingTarget } from '../../controller';
import { z } from 'zod';

/** The name a configuration gives this kind. */
export const EC2_ASG = 'ec2-asg';

export const ec2AsgResource = z.strictObject({ autoScalingGroupName: z.string().min(1) });

/** Instances that serve or are about to: Pending, Pending:Wait, Pending:Proceed and InService. */
const STARTING_OR_IN_SERVICE = /^(Pending|InService)/;

/** SetInstanceProtection takes at most 50 instances per call. */
const PROTECT_BATCH = 50;
export type Ec2AsgResource = z.output<typeof ec2AsgResource>;

/** The Auto Scaling groups a configuration names: the only ones the controller may drain or scale. */
export function autoScalingGroupsOf(targets: ReadonlyArray<{ readonly kind: string; readonly resource: unknown }>): string[] {
  return targets.filter((t) => t.kind === EC2_ASG).map((t) => ec2AsgResource.parse(t.resource).autoScalingGroupName);
}

/** An EC2 Auto Scaling group: capacity is its DesiredCapacity. Our own cooldowns apply, so AWS's are not honored. */
export function ec2AsgTarget(autoscaling: Pick<AutoScalingClient, 'send'>, resource: Ec2AsgResource): ScalingTarget {
  const name = resource.autoScalingGroupName;
  const setProtection = async (ids: readonly string[], protect: boolean) => {
    for (let i = 0; i < ids.length; i += PROTECT_BATCH) {
      await autoscaling.send(new SetInstanceProtectionCommand({ AutoScalingGroupName: name, InstanceIds: ids.slice(i, i + PROTECT_BATCH), ProtectedFromScaleIn: protect }));
    }
  };
  return {
    kind: EC2_ASG,
    async describe() {
      const out = await autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }));
      const group = out.AutoScalingGroups?.find((g) => g.AutoScalingGroupName === name);
      if (group?.DesiredCapacity === undefined) throw new AdapterError(`Auto Scaling group ${name} not found`);
      const running = group.Instances?.filter((i) => i.LifecycleState === 'InService').length;
      return { desired: group.DesiredCapacity, min: group.MinSize, max: group.MaxSize, ...(running === undefined ? {} : { running }) };
    },
    async listUnits() {
      const out = await autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }));
      const instances = out.AutoScalingGroups?.find((g) => g.AutoScalingGroupName === name)?.Instances ?? [];
      return instances.filter((i) => STARTING_OR_IN_SERVICE.test(i.LifecycleState ?? '')).map((i) => i.InstanceId!);
    },
    async setDesired(desired) {
      await autoscaling.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: name, DesiredCapacity: desired, HonorCooldown: false }));
    },
    // The ASG never terminates a protected instance on scale-in: protect the busiest, unprotect the rest.
    async protectBusiest(keep, loads) {
      const out = await autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }));
      const instances = (out.AutoScalingGroups?.[0]?.Instances ?? []).filter((i) => i.LifecycleState === 'InService').map((i) => i.InstanceId!);
      const keepIds = busiest(await loads(instances), keep);
      await setProtection(keepIds, true);
      await setProtection(instances.filter((id) => !keepIds.includes(id)), false);
      return keepIds;
    },
    async releaseProtection(ids) {
      await setProtection(ids, false);
    },
  };
}
