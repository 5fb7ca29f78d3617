import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { z } from 'zod';
import { parseOrThrow, type TargetConfig } from '../../core';
import { EventError } from '../errors';
import { ec2AsgResource, ec2AsgTarget } from './ec2-asg';
import { ecsServiceResource, ecsServiceTarget } from './ecs-service';
import type { ScalingTarget } from './scaling-target';

/** The SDK clients adapters may use; each adapter takes only the one it needs. */
export interface AwsClients {
  readonly ecs: Pick<ECSClient, 'send'>;
  readonly autoscaling: Pick<AutoScalingClient, 'send'>;
}

interface Adapter<R extends z.ZodType> {
  readonly resource: R;
  create(clients: AwsClients, resource: z.output<R>): ScalingTarget;
}

const adapter = <R extends z.ZodType>(a: Adapter<R>) => a;

/** One line per kind of target. */
const adapters = {
  'ecs-service': adapter({ resource: ecsServiceResource, create: (c, r) => ecsServiceTarget(c.ecs, r) }),
  'ec2-asg': adapter({ resource: ec2AsgResource, create: (c, r) => ec2AsgTarget(c.autoscaling, r) }),
} as const;

export const TARGET_KINDS = Object.keys(adapters);

/** The adapter for a configured target; fails loudly on an unknown kind or a malformed resource. */
export function scalingTargetFor(target: TargetConfig, clients: AwsClients): ScalingTarget {
  const entry = (adapters as Record<string, Adapter<z.ZodType>>)[target.kind];
  if (entry === undefined) throw new EventError(`no scaling target adapter for kind: ${target.kind} (target ${target.name}); known kinds: ${TARGET_KINDS.join(', ')}`);
  return entry.create(clients, parseOrThrow(entry.resource, target.resource, `resource of target ${target.name}`));
}
