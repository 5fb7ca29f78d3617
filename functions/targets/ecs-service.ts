import { DescribeServicesCommand, UpdateServiceCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { z } from 'zod';
import { AdapterError } from '../errors';
import type { ScalingTarget } from './scaling-target';

export const ecsServiceResource = z.strictObject({ cluster: z.string().min(1), service: z.string().min(1) });
export type EcsServiceResource = z.output<typeof ecsServiceResource>;

/** An ECS (Fargate) service: capacity is its desiredCount. */
export function ecsServiceTarget(ecs: Pick<ECSClient, 'send'>, resource: EcsServiceResource): ScalingTarget {
  return {
    kind: 'ecs-service',
    async describe() {
      const out = await ecs.send(new DescribeServicesCommand({ cluster: resource.cluster, services: [resource.service] }));
      const service = out.services?.find((s) => s.serviceName === resource.service || s.serviceArn?.endsWith(`/${resource.service}`));
      if (service?.desiredCount === undefined) {
        const failure = out.failures?.map((f) => `${f.arn}: ${f.reason}`).join('; ');
        throw new AdapterError(`ECS service ${resource.service} not found in cluster ${resource.cluster}${failure ? ` (${failure})` : ''}`);
      }
      return { desired: service.desiredCount };
    },
    async setDesired(desired) {
      await ecs.send(new UpdateServiceCommand({ cluster: resource.cluster, service: resource.service, desiredCount: desired }));
    },
  };
}
