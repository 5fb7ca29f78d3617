import type { KindDeploy } from '../deploy';
import type { EcsServiceResource } from './adapter';

const arn = (resource: string, resourceName: string) => ({ service: 'ecs', resource, resourceName });
const metric = ({ cluster, service }: EcsServiceResource, metricName: string, label: string) => ({
  namespace: 'ECS/ContainerInsights',
  metricName,
  dimensionsMap: { ClusterName: cluster, ServiceName: service },
  statistic: 'Average',
  label,
});

/** An ECS service on Fargate (its chat stack runs it). */
export const ecsServiceDeploy: KindDeploy<EcsServiceResource> = {
  chat: 'fargate-service',
  targetType: 'ip',
  permissions: ({ cluster, service }) => [
    { actions: ['ecs:DescribeServices', 'ecs:UpdateService'], resources: [arn('service', `${cluster}/${service}`)] },
    { actions: ['ecs:UpdateTaskProtection'], resources: [arn('task', `${cluster}/*`)] },
    { actions: ['ecs:ListTasks'], resources: ['*'], conditions: { ArnEquals: { 'ecs:cluster': arn('cluster', cluster) } } },
    { actions: ['application-autoscaling:DescribeScalableTargets'], resources: ['*'] },
  ],
  physicalResource: ({ cluster, service }, physical) => ({ cluster: physical(cluster), service: physical(service) }),
  capacityMetrics: (resource) => ({ desired: metric(resource, 'DesiredTaskCount', 'desired tasks (ECS)'), running: metric(resource, 'RunningTaskCount', 'running tasks (ECS)') }),
};
