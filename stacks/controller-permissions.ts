import { ArnFormat, Stack } from 'aws-cdk-lib';
import type { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { CONNECTIONS_METRIC } from '../contract/connections';
import { metricReadActions } from '../metric-sources';
import { alarmsOf, type TargetConfig } from '../core';
import { autoScalingGroupArn } from '../kinds';
import { allow, GROUP_ARN_WILDCARD } from './iam';
import { formatArn } from './kind-deploy';
import { scalingStatements } from './kind-deploy';
import type { Accepted } from './nag';

// What each controller function may do, derived from the scaling configuration. Every action that
// changes something names its resources; `*` appears only on reads that IAM cannot scope
// (DescribeAutoScalingGroups, DescribeScalableTargets, GetMetricData, GetCommandInvocation) and on
// PutMetricData, which has no resource type and is held to the contract's namespace by a condition.

/** The wildcards above, each with the reason it cannot be narrower (cdk-nag IAM5). */
export const ACCEPTED_WILDCARDS: Accepted[] = [
  { id: 'AwsSolutions-IAM5', reason: 'Resource "*" only on reads IAM cannot scope (GetMetricData, DescribeAutoScalingGroups, DescribeScalableTargets, GetCommandInvocation), on ListTasks held to the cluster by a condition, and on PutMetricData held to the namespace by a condition', appliesTo: ['Resource::*'] },
  { id: 'AwsSolutions-IAM5', reason: 'Task ids are not known in advance: UpdateTaskProtection may touch any task of the target cluster, and no other', appliesTo: [{ regex: '/^Resource::arn:<AWS::Partition>:ecs:.*:task\\/.*\\/\\*$/' }] },
  GROUP_ARN_WILDCARD,
  { id: 'AwsSolutions-IAM5', reason: 'Instances come and go; the drain may run its one document only on instances tagged with the configured groups', appliesTo: [{ regex: '/^Resource::arn:<AWS::Partition>:ec2:.*:instance\\/\\*$/' }] },
];

/** The evaluations' permissions (scheduled and alarm): read each target and its alarms, and scale it. */
export function evaluationStatements(scope: Construct, targets: readonly TargetConfig[]): PolicyStatement[] {
  const alarmArns = targets.flatMap((t) => alarmsOf(t).map((a) => Stack.of(scope).formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: a.name, arnFormat: ArnFormat.COLON_RESOURCE_NAME })));
  return [
    ...targets.flatMap((t) => scalingStatements(scope, t)),
    ...(alarmArns.length > 0 ? [allow(['cloudwatch:DescribeAlarms'], alarmArns)] : []),
    allow(metricReadActions(), ['*']),
  ];
}

/** The forecast refresh: read the history, publish the forecast beside it (and nothing else). */
export function forecastStatements(): PolicyStatement[] {
  return [
    allow(metricReadActions(), ['*']),
    allow(['cloudwatch:PutMetricData'], ['*'], { StringEquals: { 'cloudwatch:namespace': CONNECTIONS_METRIC.namespace } }),
  ];
}

/** The daily re-tuning reads each tuned target's metric history (and its own state items). */
export function retuneStatements(): PolicyStatement[] {
  return [allow(metricReadActions(), ['*'])];
}

/**
 * The lifecycle drain: run the one drain document on the groups' own instances, read its result, and
 * complete the groups' own lifecycle actions. SendCommand is authorized per resource, so the document and
 * the instances are separate statements: the group tag condition could never hold for the document.
 */
export function drainStatements(scope: Construct, groupNames: readonly string[], drainDocument: string): PolicyStatement[] {
  const stack = Stack.of(scope);
  return [
    allow(['ssm:SendCommand'], [stack.formatArn({ service: 'ssm', resource: 'document', resourceName: drainDocument })]),
    allow(['ssm:SendCommand'], [stack.formatArn({ service: 'ec2', resource: 'instance', resourceName: '*' })], {
      StringEquals: { 'ssm:resourceTag/aws:autoscaling:groupName': [...groupNames] },
    }),
    allow(['ssm:GetCommandInvocation'], ['*']),
    allow(['autoscaling:CompleteLifecycleAction'], groupNames.map((name) => formatArn(scope, autoScalingGroupArn(name)))),
  ];
}
