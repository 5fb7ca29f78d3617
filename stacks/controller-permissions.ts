import { ArnFormat, Stack } from 'aws-cdk-lib';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { CONNECTIONS_METRIC } from '../contract/connections';
import { alarmsOf, type TargetConfig } from '../core';
import { ec2AsgResource } from '../functions/targets/ec2-asg';
import { ecsServiceResource } from '../functions/targets/ecs-service';
import { DRAIN_DOCUMENT } from '../functions/handlers/lifecycle';
import type { Accepted } from './nag';

// What each controller function may do, derived from the scaling configuration. Every action that
// changes something names its resources; `*` appears only on reads that IAM cannot scope
// (DescribeAutoScalingGroups, DescribeScalableTargets, GetMetricData, GetCommandInvocation) and on
// PutMetricData, which has no resource type and is held to the contract's namespace by a condition.

/** The wildcards above, each with the reason it cannot be narrower (cdk-nag IAM5). */
export const ACCEPTED_WILDCARDS: Accepted[] = [
  { id: 'AwsSolutions-IAM5', reason: 'Resource "*" only on reads IAM cannot scope (GetMetricData, DescribeAutoScalingGroups, DescribeScalableTargets, GetCommandInvocation), on ListTasks held to the cluster by a condition, and on PutMetricData held to the namespace by a condition', appliesTo: ['Resource::*'] },
  { id: 'AwsSolutions-IAM5', reason: 'Task ids are not known in advance: UpdateTaskProtection may touch any task of the target cluster, and no other', appliesTo: [{ regex: '/^Resource::arn:<AWS::Partition>:ecs:.*:task\\/.*\\/\\*$/' }] },
  { id: 'AwsSolutions-IAM5', reason: 'An Auto Scaling group ARN carries an id that exists only once the group does; the group name pins it', appliesTo: [{ regex: '/^Resource::arn:<AWS::Partition>:autoscaling:.*:autoScalingGroup:\\*:autoScalingGroupName\\/.*$/' }] },
  { id: 'AwsSolutions-IAM5', reason: 'Instances come and go; the drain may run its one document only on instances tagged with the configured groups', appliesTo: [{ regex: '/^Resource::arn:<AWS::Partition>:ec2:.*:instance\\/\\*$/' }] },
];

const allow = (actions: string[], resources: string[], conditions?: Record<string, unknown>) =>
  new PolicyStatement({ effect: Effect.ALLOW, actions, resources, ...(conditions === undefined ? {} : { conditions }) });

export const autoScalingGroupArn = (scope: Construct, name: string): string =>
  Stack.of(scope).formatArn({ service: 'autoscaling', resource: 'autoScalingGroup', resourceName: `*:autoScalingGroupName/${name}`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });

/** How the controller changes a target of each kind, and reads what only that target's ARN allows. */
const SCALING_STATEMENTS: Record<string, (scope: Construct, target: TargetConfig) => PolicyStatement[]> = {
  'ecs-service': (scope, target) => {
    const { cluster, service } = ecsServiceResource.parse(target.resource);
    const arn = (resource: string, resourceName: string) => Stack.of(scope).formatArn({ service: 'ecs', resource, resourceName });
    return [
      allow(['ecs:DescribeServices', 'ecs:UpdateService'], [arn('service', `${cluster}/${service}`)]),
      allow(['ecs:UpdateTaskProtection'], [arn('task', `${cluster}/*`)]),
      allow(['ecs:ListTasks'], ['*'], { ArnEquals: { 'ecs:cluster': arn('cluster', cluster) } }),
    ];
  },
  'ec2-asg': (scope, target) => [
    allow(['autoscaling:SetDesiredCapacity', 'autoscaling:SetInstanceProtection'], [autoScalingGroupArn(scope, ec2AsgResource.parse(target.resource).autoScalingGroupName)]),
  ],
};

/** The evaluations' permissions (scheduled and alarm): read each target and its alarms, and scale it. */
export function evaluationStatements(scope: Construct, targets: readonly TargetConfig[]): PolicyStatement[] {
  const alarmArns = targets.flatMap((t) => alarmsOf(t).map((a) => Stack.of(scope).formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: a.name, arnFormat: ArnFormat.COLON_RESOURCE_NAME })));
  const kinds = new Set(targets.map((t) => t.kind));
  return [
    ...targets.flatMap((t) => {
      const statements = SCALING_STATEMENTS[t.kind];
      if (statements === undefined) throw new Error(`no IAM statements for target kind ${t.kind}; known: ${Object.keys(SCALING_STATEMENTS).join(', ')}`);
      return statements(scope, t);
    }),
    ...(alarmArns.length > 0 ? [allow(['cloudwatch:DescribeAlarms'], alarmArns)] : []),
    allow(['cloudwatch:GetMetricData'], ['*']),
    ...(kinds.has('ecs-service') ? [allow(['application-autoscaling:DescribeScalableTargets'], ['*'])] : []),
    ...(kinds.has('ec2-asg') ? [allow(['autoscaling:DescribeAutoScalingGroups'], ['*'])] : []),
  ];
}

/** The forecast refresh: read the history, publish the forecast beside it (and nothing else). */
export function forecastStatements(): PolicyStatement[] {
  return [
    allow(['cloudwatch:GetMetricData'], ['*']),
    allow(['cloudwatch:PutMetricData'], ['*'], { StringEquals: { 'cloudwatch:namespace': CONNECTIONS_METRIC.namespace } }),
  ];
}

/**
 * The lifecycle drain: run the one drain document on the groups' own instances, read its result, and
 * complete the groups' own lifecycle actions. SendCommand is authorized per resource, so the document and
 * the instances are separate statements: the group tag condition could never hold for the document.
 */
export function drainStatements(scope: Construct, groupNames: readonly string[]): PolicyStatement[] {
  const stack = Stack.of(scope);
  return [
    allow(['ssm:SendCommand'], [stack.formatArn({ service: 'ssm', account: '', resource: 'document', resourceName: DRAIN_DOCUMENT })]),
    allow(['ssm:SendCommand'], [stack.formatArn({ service: 'ec2', resource: 'instance', resourceName: '*' })], {
      StringEquals: { 'ssm:resourceTag/aws:autoscaling:groupName': [...groupNames] },
    }),
    allow(['ssm:GetCommandInvocation'], ['*']),
    allow(['autoscaling:CompleteLifecycleAction'], groupNames.map((name) => autoScalingGroupArn(scope, name))),
  ];
}
