import type { z } from 'zod';
import { ConfigError, formatPath, parseControllerConfig, POLICIES, schemaProblems, type ConfigProblem, type ControllerConfig, type TargetConfig } from '../core';
import type { ScalingTarget } from '../controller';
import { ec2Asg } from './ec2-asg';
import { ecsService } from './ecs-service';
import { k8sDeployment } from './k8s-deployment';
import type { Kind, Platform } from './kind';
import { localFleet } from './local-fleet';

/** Every kind of scaling target: one line each. */
export const KINDS: readonly Kind[] = [ecsService, ec2Asg, k8sDeployment, localFleet];

export const KIND_NAMES = KINDS.map((k) => k.name);

/** The kind a configuration names, or undefined. */
export const kindNamed = (name: string): Kind | undefined => KINDS.find((k) => k.name === name);

/**
 * Why a configured target cannot run anywhere: an unknown kind, a resource its kind cannot find, or a
 * platform's own policy type on a kind of the other platform.
 */
export function kindProblems(target: TargetConfig, path: PropertyKey[]): ConfigProblem[] {
  const kind = kindNamed(target.kind);
  if (kind === undefined) return [{ path: formatPath([...path, 'kind']), message: `unknown kind; expected one of ${KIND_NAMES.join(', ')}`, received: target.kind }];
  return [...schemaProblems(kind.resource, target.resource, [...path, 'resource']), ...platformProblems(target, kind, path)];
}

function platformProblems(target: TargetConfig, kind: Kind, path: PropertyKey[]): ConfigProblem[] {
  return target.policies.flatMap((policy, i) => {
    const platform = POLICIES.lookup(policy).platform;
    if (platform === undefined || kind.platforms.includes(platform)) return [];
    const takers = KINDS.filter((k) => k.platforms.includes(platform)).map((k) => k.name);
    return [{ path: formatPath([...path, 'policies', i, 'type']), message: `type ${policy.type} scales only ${takers.join(' or ')} targets, not ${kind.name}`, received: policy.type }];
  });
}

/** A controller configuration whose targets are each of a known kind, with a resource and policy types it takes. */
export function parseKnownKinds(input: unknown): ControllerConfig {
  const config = parseControllerConfig(input);
  const problems = config.targets.flatMap((target, t) => kindProblems(target, ['targets', t]));
  if (problems.length > 0) throw new ConfigError('controller configuration', problems);
  return config;
}

/** Why a configured target cannot be scaled by a deployment that scales the kinds it `scales`: kindProblems, or a kind it does not. */
export function targetProblemsWhere(scales: (kind: Kind) => boolean): (target: TargetConfig, path: PropertyKey[]) => ConfigProblem[] {
  const scaled = KINDS.filter(scales).map((k) => k.name);
  return (target, path) => {
    const kind = kindNamed(target.kind);
    if (kind !== undefined && !scales(kind)) {
      return [{ path: formatPath([...path, 'kind']), message: `no scaling target adapter for kind ${JSON.stringify(target.kind)} here; known kinds: ${scaled.join(', ')}`, received: target.kind }];
    }
    return kindProblems(target, path);
  };
}

/** The kinds the Lambda controller scales: those with an adapter that the stacks deploy. */
export const targetProblems = targetProblemsWhere((kind) => kind.adapter !== undefined && kind.deploy !== undefined);

/** The adapter for a configured target; an unknown kind or a malformed resource is a ConfigError. */
export function scalingTargetFor(target: TargetConfig, platform: Platform): ScalingTarget {
  const problems = targetProblemsWhere((kind) => kind.adapter !== undefined)(target, []);
  if (problems.length > 0) throw new ConfigError(`target ${target.name}`, problems);
  const kind = kindNamed(target.kind)! as Kind<z.ZodType>;
  return kind.adapter!(kind.resource.parse(target.resource), platform);
}

export type { ArnParts, ChatCompute, KindDeploy, MetricSpec, Permission } from './deploy';
export { autoScalingGroupsOf, ec2AsgResource } from './ec2-asg/adapter';
export { ecsServiceResource } from './ecs-service/adapter';
export { autoScalingGroupArn } from './ec2-asg/deploy';
export { DEFAULT_DRAIN, DRAIN_DOCUMENT_ENV, drainDocumentOf, runTerminateAction, terminateActionRunner, type DrainOptions } from './ec2-asg/drain-on-terminate';
export type { Kind, Platform } from './kind';
export { DELETION_COST, type KubernetesCluster } from './k8s-deployment';
export { localFleet };
