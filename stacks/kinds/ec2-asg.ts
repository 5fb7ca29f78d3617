import { Duration } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { TargetType } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { ec2AsgResource } from '../../functions/targets/ec2-asg';
import { allow, autoScalingGroupArn } from '../iam';
import type { DeployedKind } from './kind';

/** An EC2 Auto Scaling group (the ChatEc2 stack runs it). */
export const ec2Asg: DeployedKind = {
  targetType: TargetType.INSTANCE,
  scalingStatements(scope, target) {
    const { autoScalingGroupName } = ec2AsgResource.parse(target.resource);
    return [
      allow(['autoscaling:SetDesiredCapacity', 'autoscaling:SetInstanceProtection'], [autoScalingGroupArn(scope, autoScalingGroupName)]),
      allow(['autoscaling:DescribeAutoScalingGroups'], ['*']),
    ];
  },
  physicalResource(resource, physical) {
    return { autoScalingGroupName: physical(ec2AsgResource.parse(resource).autoScalingGroupName) };
  },
  capacityMetrics(target) {
    const { autoScalingGroupName } = ec2AsgResource.parse(target.resource);
    const metric = (metricName: string, label: string) =>
      new Metric({ namespace: 'AWS/AutoScaling', metricName, dimensionsMap: { AutoScalingGroupName: autoScalingGroupName }, statistic: 'Average', period: Duration.minutes(1), label });
    return { desired: metric('GroupDesiredCapacity', 'desired instances (ASG)'), running: metric('GroupInServiceInstances', 'in-service instances (ASG)') };
  },
};
