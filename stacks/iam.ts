import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Accepted } from './nag';

/** An Allow statement; `conditions` only where given. */
export const allow = (actions: string[], resources: string[], conditions?: Record<string, unknown>): PolicyStatement =>
  new PolicyStatement({ effect: Effect.ALLOW, actions, resources, ...(conditions === undefined ? {} : { conditions }) });

/** Why an Auto Scaling group ARN's wildcard is acceptable (cdk-nag IAM5). */
export const GROUP_ARN_WILDCARD: Accepted = {
  id: 'AwsSolutions-IAM5',
  reason: 'An Auto Scaling group ARN carries an id that exists only once the group does; the group name pins it',
  appliesTo: [{ regex: '/^Resource::arn:<AWS::Partition>:autoscaling:.*:autoScalingGroup:\\*:autoScalingGroupName\\/.*$/' }],
};
