import { defineKind } from '../kind';
import { ECS_SERVICE, ecsServiceResource, ecsServiceTarget } from './adapter';
import { ecsServiceDeploy } from './deploy';

/** An ECS service (on Fargate): capacity is its desired count; Application Auto Scaling's step policies apply. */
export const ecsService = defineKind({
  name: ECS_SERVICE,
  resource: ecsServiceResource,
  platforms: ['application-auto-scaling'],
  adapter: (resource, platform) => ecsServiceTarget(platform.ecs, platform.applicationAutoScaling, resource),
  deploy: ecsServiceDeploy,
});
