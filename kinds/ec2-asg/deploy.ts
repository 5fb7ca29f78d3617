import type { ArnParts, KindDeploy } from '../deploy';
import type { Ec2AsgResource } from './adapter';

/** An Auto Scaling group's ARN from its name (the real one carries an id that exists only once the group does). */
export const autoScalingGroupArn = (name: string): ArnParts => ({ service: 'autoscaling', resource: 'autoScalingGroup', resourceName: `*:autoScalingGroupName/${name}`, colon: true });

const metric = (resource: Ec2AsgResource, metricName: string, label: string) => ({
  namespace: 'AWS/AutoScaling',
  metricName,
  dimensionsMap: { AutoScalingGroupName: resource.autoScalingGroupName },
  statistic: 'Average',
  label,
});

/** An EC2 Auto Scaling group (its chat stack runs it). */
export const ec2AsgDeploy: KindDeploy<Ec2AsgResource> = {
  chat: 'auto-scaling-group',
  targetType: 'instance',
  permissions: ({ autoScalingGroupName }) => [
    { actions: ['autoscaling:SetDesiredCapacity', 'autoscaling:SetInstanceProtection'], resources: [autoScalingGroupArn(autoScalingGroupName)] },
    { actions: ['autoscaling:DescribeAutoScalingGroups'], resources: ['*'] },
  ],
  physicalResource: ({ autoScalingGroupName }, physical) => ({ autoScalingGroupName: physical(autoScalingGroupName) }),
  capacityMetrics: (resource) => ({ desired: metric(resource, 'GroupDesiredCapacity', 'desired instances (ASG)'), running: metric(resource, 'GroupInServiceInstances', 'in-service instances (ASG)') }),
  // Its nodes read their instance id, and the notice that they are leaving, from the instance metadata.
  nodeEnvironment: { CHAT_INSTANCE_METADATA: 'on' },
};
