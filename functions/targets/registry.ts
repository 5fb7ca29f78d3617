import type { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { z } from 'zod';
import { ConfigError, formatPath, schemaProblems, type ConfigProblem, type TargetConfig } from '../../core';
import { ec2AsgResource, ec2AsgTarget } from './ec2-asg';
import { ecsServiceResource, ecsServiceTarget } from './ecs-service';
import type { ScalingTarget } from './scaling-target';

/** What the adapters may use to reach their targets; each adapter takes only the client it needs. */
export interface Platform {
  readonly ecs: Pick<ECSClient, 'send'>;
  readonly applicationAutoScaling: Pick<ApplicationAutoScalingClient, 'send'>;
  readonly autoscaling: Pick<AutoScalingClient, 'send'>;
}

interface TargetKind<R extends z.ZodType> {
  /** What a target of this kind names in its `resource`; unknown keys are refused. */
  readonly resource: R;
  create(resource: z.output<R>, platform: Platform): ScalingTarget;
}

const kind = <R extends z.ZodType>(k: TargetKind<R>) => k;

/** Every kind of scalable target: one line each. */
const KINDS = {
  'ecs-service': kind({ resource: ecsServiceResource, create: (r, p) => ecsServiceTarget(p.ecs, p.applicationAutoScaling, r) }),
  'ec2-asg': kind({ resource: ec2AsgResource, create: (r, p) => ec2AsgTarget(p.autoscaling, r) }),
} as const;

export const TARGET_KINDS = Object.keys(KINDS);

const lookup = (name: string): TargetKind<z.ZodType> | undefined => (KINDS as Record<string, TargetKind<z.ZodType>>)[name];

/** Why a configured target cannot be scaled: an unknown kind, or a resource its kind cannot find. */
export function targetProblems(target: TargetConfig, path: PropertyKey[]): ConfigProblem[] {
  const entry = lookup(target.kind);
  if (entry === undefined) {
    const message = `no scaling target adapter for kind ${JSON.stringify(target.kind)}; known kinds: ${TARGET_KINDS.join(', ')}`;
    return [{ path: formatPath([...path, 'kind']), message }];
  }
  return schemaProblems(entry.resource, target.resource, [...path, 'resource']);
}

/** The adapter for a configured target; an unknown kind or a malformed resource is a ConfigError. */
export function scalingTargetFor(target: TargetConfig, platform: Platform): ScalingTarget {
  const problems = targetProblems(target, []);
  if (problems.length > 0) throw new ConfigError(`target ${target.name}`, problems);
  const entry = lookup(target.kind)!;
  return entry.create(entry.resource.parse(target.resource), platform);
}
