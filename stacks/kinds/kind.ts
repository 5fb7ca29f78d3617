import type { IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import type { TargetType } from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { TargetConfig } from '../../core';

/**
 * What the stacks need to know of one kind of scaling target, beside the stack that runs it: how it
 * registers with the load balancer, what the controller may do to it, and what the platform reports
 * of its capacity. The runtime side of a kind is its adapter in `functions/targets/`.
 */
export interface DeployedKind {
  /** How its units register with a target group: Fargate tasks by IP, instances by id. */
  readonly targetType: TargetType;
  /** The controller's permissions on one target: read it, scale it, protect its busiest units. */
  scalingStatements(scope: Construct, target: TargetConfig): PolicyStatement[];
  /** Its resource as one stage deploys it: every name the account sees passed through `physical`. */
  physicalResource(resource: Record<string, string>, physical: (name: string) => string): Record<string, string>;
  /** Desired and running capacity as the platform itself reports them, for the dashboard. */
  capacityMetrics(target: TargetConfig): { desired: IMetric; running: IMetric };
}
