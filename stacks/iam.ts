import { ArnFormat, Stack } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { Accepted } from './nag';

/** An Allow statement; `conditions` only where given. */
export const allow = (actions: string[], resources: string[], conditions?: Record<string, unknown>): PolicyStatement =>
  new PolicyStatement({ effect: Effect.ALLOW, actions, resources, ...(conditions === undefined ? {} : { conditions }) });

/** An Auto Scaling group's ARN from its name (the real one carries an id that exists only once the group does). */
export const autoScalingGroupArn = (scope: Construct, name: string): string =>
  Stack.of(scope).formatArn({ service: 'autoscaling', resource: 'autoScalingGroup', resourceName: `*:autoScalingGroupName/${name}`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });

/** Why `autoScalingGroupArn`'s wildcard is acceptable (cdk-nag IAM5). */
export const GROUP_ARN_WILDCARD: Accepted = {
  id: 'AwsSolutions-IAM5',
  reason: 'An Auto Scaling group ARN carries an id that exists only once the group does; the group name pins it',
  appliesTo: [{ regex: '/^Resource::arn:<AWS::Partition>:autoscaling:.*:autoScalingGroup:\\*:autoScalingGroupName\\/.*$/' }],
};
