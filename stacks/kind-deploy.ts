import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import { Metric, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { TargetType } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { TargetConfig } from '../core';
import { KINDS, kindNamed, type ArnParts, type ChatCompute, type KindDeploy, type MetricSpec, type Permission } from '../kinds';
import { allow } from './iam';

/** What the stacks know of a target's kind: its deploy piece, on its parsed resource. */
function deployOf(target: Pick<TargetConfig, 'kind' | 'resource'>): { deploy: KindDeploy<unknown>; resource: unknown } {
  const kind = kindNamed(target.kind);
  if (kind?.deploy === undefined) {
    const known = KINDS.filter((k) => k.deploy !== undefined).map((k) => k.name);
    throw new Error(`the stacks cannot deploy a target of kind ${JSON.stringify(target.kind)}; known: ${known.join(', ')}`);
  }
  return { deploy: kind.deploy as KindDeploy<unknown>, resource: kind.resource.parse(target.resource) };
}

/** An ARN in parts, in the stack's own partition, account and region. */
export const formatArn = (scope: Construct, parts: ArnParts): string =>
  Stack.of(scope).formatArn({ service: parts.service, resource: parts.resource, resourceName: parts.resourceName, ...(parts.colon ? { arnFormat: ArnFormat.COLON_RESOURCE_NAME } : {}) });

/** One permission as an IAM statement: every ARN in parts formatted in the stack, in resources and in conditions. */
function statement(scope: Construct, p: Permission): PolicyStatement {
  const value = <V>(v: ArnParts | V): string | V => (typeof v === 'object' && v !== null && 'service' in v ? formatArn(scope, v) : v);
  const conditions = p.conditions && mapValues(p.conditions, (keys) => mapValues(keys, value));
  return allow([...p.actions], p.resources.map(value), conditions);
}

const mapValues = <A, B>(o: Readonly<Record<string, A>>, f: (a: A) => B): Record<string, B> => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));

/** The controller's permissions on one target: read it, scale it, protect its busiest units. */
export function scalingStatements(scope: Construct, target: TargetConfig): PolicyStatement[] {
  const { deploy, resource } = deployOf(target);
  return deploy.permissions(resource).map((p) => statement(scope, p));
}

/** How the target's units register with a target group. */
export const targetTypeOf = (target: TargetConfig): TargetType => (deployOf(target).deploy.targetType === 'ip' ? TargetType.IP : TargetType.INSTANCE);

/** The target's resource as one stage deploys it. */
export function physicalResource(target: Pick<TargetConfig, 'kind' | 'resource'>, physical: (name: string) => string): Record<string, string> {
  const { deploy, resource } = deployOf(target);
  return deploy.physicalResource(resource, physical);
}

const metric = (spec: MetricSpec): IMetric => new Metric({ ...spec, dimensionsMap: { ...spec.dimensionsMap }, period: Duration.minutes(1) });

/** Desired and running capacity as the platform itself reports them. */
export function capacityMetrics(target: TargetConfig): { desired: IMetric; running: IMetric } {
  const { deploy, resource } = deployOf(target);
  const specs = deploy.capacityMetrics(resource);
  return { desired: metric(specs.desired), running: metric(specs.running) };
}

/** What the target's chat nodes are told beside the common environment. */
export const nodeEnvironment = (target: TargetConfig): Record<string, string> => ({ ...deployOf(target).deploy.nodeEnvironment });

/** Where the target's chat nodes run: the chat stack that builds them. */
export const chatComputeOf = (target: Pick<TargetConfig, 'kind' | 'resource'>): ChatCompute => deployOf(target).deploy.chat;
