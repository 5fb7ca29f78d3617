import { defineKind } from '../kind';
import { EC2_ASG, ec2AsgResource, ec2AsgTarget } from './adapter';
import { ec2AsgDeploy } from './deploy';

/** An EC2 Auto Scaling group: capacity is its DesiredCapacity; EC2 Auto Scaling's own step policies apply. */
export const ec2Asg = defineKind({
  name: EC2_ASG,
  resource: ec2AsgResource,
  platforms: ['ec2-auto-scaling'],
  adapter: (resource, platform) => ec2AsgTarget(platform.autoscaling, resource),
  deploy: ec2AsgDeploy,
});
