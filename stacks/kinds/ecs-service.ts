import { Duration, Stack } from 'aws-cdk-lib';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { TargetType } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { ecsServiceResource } from '../../functions/targets/ecs-service';
import { allow } from '../iam';
import type { DeployedKind } from './kind';

/** An ECS service on Fargate (the ChatFargate stack runs it). */
export const ecsService: DeployedKind = {
  targetType: TargetType.IP,
  scalingStatements(scope, target) {
    const { cluster, service } = ecsServiceResource.parse(target.resource);
    const arn = (resource: string, resourceName: string) => Stack.of(scope).formatArn({ service: 'ecs', resource, resourceName });
    return [
      allow(['ecs:DescribeServices', 'ecs:UpdateService'], [arn('service', `${cluster}/${service}`)]),
      allow(['ecs:UpdateTaskProtection'], [arn('task', `${cluster}/*`)]),
      allow(['ecs:ListTasks'], ['*'], { ArnEquals: { 'ecs:cluster': arn('cluster', cluster) } }),
      allow(['application-autoscaling:DescribeScalableTargets'], ['*']),
    ];
  },
  physicalResource(resource, physical) {
    const { cluster, service } = ecsServiceResource.parse(resource);
    return { cluster: physical(cluster), service: physical(service) };
  },
  capacityMetrics(target) {
    const { cluster, service } = ecsServiceResource.parse(target.resource);
    const metric = (metricName: string, label: string) =>
      new Metric({ namespace: 'ECS/ContainerInsights', metricName, dimensionsMap: { ClusterName: cluster, ServiceName: service }, statistic: 'Average', period: Duration.minutes(1), label });
    return { desired: metric('DesiredTaskCount', 'desired tasks (ECS)'), running: metric('RunningTaskCount', 'running tasks (ECS)') };
  },
};
