import { DescribeScalableTargetsCommand, type ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { DescribeServicesCommand, ListTasksCommand, UpdateServiceCommand, UpdateTaskProtectionCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { busiest, AdapterError, type ScalingTarget } from '../../controller';
import { z } from 'zod';

/** The name a configuration gives this kind. */
export const ECS_SERVICE = 'ecs-service';

export const ecsServiceResource = z.strictObject({ cluster: z.string().min(1), service: z.string().min(1) });

/** UpdateTaskProtection takes at most 10 tasks per call; protection lapses by itself after this long. */
const PROTECT_BATCH = 10;
const PROTECT_MINUTES = 10;
export type EcsServiceResource = z.output<typeof ecsServiceResource>;

/** A task's id, the last part of its ARN: what its chat node publishes as its UnitId. */
const taskId = (arn: string) => arn.split('/').pop()!;

/** An ECS (Fargate) service: capacity is its desiredCount. */
export function ecsServiceTarget(ecs: Pick<ECSClient, 'send'>, scalableTargets: Pick<ApplicationAutoScalingClient, 'send'>, resource: EcsServiceResource): ScalingTarget {
  const setProtection = async (arns: readonly string[], enabled: boolean) => {
    for (let i = 0; i < arns.length; i += PROTECT_BATCH) {
      const tasks = arns.slice(i, i + PROTECT_BATCH);
      await ecs.send(new UpdateTaskProtectionCommand({ cluster: resource.cluster, tasks, protectionEnabled: enabled, ...(enabled ? { expiresInMinutes: PROTECT_MINUTES } : {}) }));
    }
  };
  /** The service's tasks that are running or starting (ECS lists both under the desired status RUNNING). */
  const runningTasks = async () => {
    const tasks: string[] = [];
    let nextToken: string | undefined;
    do {
      const out = await ecs.send(new ListTasksCommand({ cluster: resource.cluster, serviceName: resource.service, desiredStatus: 'RUNNING', nextToken }));
      tasks.push(...(out.taskArns ?? []));
      nextToken = out.nextToken;
    } while (nextToken);
    return tasks;
  };
  return {
    kind: ECS_SERVICE,
    async describe() {
      const out = await ecs.send(new DescribeServicesCommand({ cluster: resource.cluster, services: [resource.service] }));
      const service = out.services?.find((s) => s.serviceName === resource.service || s.serviceArn?.endsWith(`/${resource.service}`));
      if (service?.desiredCount === undefined) {
        const failure = out.failures?.map((f) => `${f.arn}: ${f.reason}`).join('; ');
        throw new AdapterError(`ECS service ${resource.service} not found in cluster ${resource.cluster}${failure ? ` (${failure})` : ''}`);
      }
      // Where the service is registered with Application Auto Scaling, its min and max bound us too.
      const registered = await scalableTargets.send(
        new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs', ScalableDimension: 'ecs:service:DesiredCount', ResourceIds: [`service/${resource.cluster}/${resource.service}`] }),
      );
      const limits = registered.ScalableTargets?.[0];
      return {
        desired: service.desiredCount,
        ...(service.runningCount === undefined ? {} : { running: service.runningCount }),
        ...(limits?.MinCapacity === undefined ? {} : { min: limits.MinCapacity }),
        ...(limits?.MaxCapacity === undefined ? {} : { max: limits.MaxCapacity }),
      };
    },
    async setDesired(desired) {
      await ecs.send(new UpdateServiceCommand({ cluster: resource.cluster, service: resource.service, desiredCount: desired }));
    },
    async listUnits() {
      return (await runningTasks()).map(taskId);
    },
    // ECS stops unprotected tasks first; the protection expires on its own once the scale-in is done.
    async protectBusiest(keep, loads) {
      const byId = new Map((await runningTasks()).map((arn) => [taskId(arn), arn]));
      const keepIds = busiest(await loads([...byId.keys()]), keep);
      await setProtection(keepIds.map((id) => byId.get(id)!), true);
      return keepIds.map((id) => byId.get(id)!);
    },
    async releaseProtection(arns) {
      await setProtection(arns, false);
    },
  };
}
