// How the stacks deploy a kind, as plain data: the stacks turn it into CDK constructs, so a kind's folder
// carries no CDK and the controller's bundles none.

/** An ARN in parts, as the stack formats it in its own account and region. */
export interface ArnParts {
  readonly service: string;
  readonly resource: string;
  readonly resourceName: string;
  /** `resource:name` instead of `resource/name`. */
  readonly colon?: boolean;
}

/** One Allow statement: `*` only on reads IAM cannot scope. Condition values may be ARNs in parts. */
export interface Permission {
  readonly actions: readonly string[];
  readonly resources: ReadonlyArray<ArnParts | '*'>;
  readonly conditions?: Readonly<Record<string, Readonly<Record<string, ArnParts | string | readonly string[]>>>>;
}

/** A CloudWatch metric the platform itself reports, at one-minute periods. */
export interface MetricSpec {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensionsMap: Readonly<Record<string, string>>;
  readonly statistic: string;
  readonly label: string;
}

/** Where a kind's chat nodes run: the chat stack that builds them (ChatFargate, ChatEc2). */
export type ChatCompute = 'fargate-service' | 'auto-scaling-group';

export interface KindDeploy<Resource> {
  /** Where its chat nodes run: the stack that builds them for each target of the kind. */
  readonly chat: ChatCompute;
  /** How its units register with a target group: Fargate tasks by IP, instances by id. */
  readonly targetType: 'ip' | 'instance';
  /** The controller's permissions on one target: read it, scale it, protect its busiest units. */
  permissions(resource: Resource): Permission[];
  /** Its resource as one stage deploys it: every name the account sees passed through `physical`. */
  physicalResource(resource: Resource, physical: (name: string) => string): Record<string, string>;
  /** Desired and running capacity as the platform itself reports them, for the dashboard. */
  capacityMetrics(resource: Resource): { readonly desired: MetricSpec; readonly running: MetricSpec };
  /** What its chat nodes are told beside the common environment (how they find their own id). */
  readonly nodeEnvironment?: Readonly<Record<string, string>>;
}
