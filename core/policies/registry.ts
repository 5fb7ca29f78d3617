import { z } from 'zod';
import { ConfigError } from '../errors';
import { ec2Step } from './ec2-step';
import { ecsStep } from './ecs-step';
import type { ConfigOf, PolicyBase, PolicyInputs, ScalingPolicy } from './policy';
import { predictive } from './predictive';
import { targetTracking } from './target-tracking';

/** Maps a policy configuration's `type` to the policy that reads, proposes and remembers for it. */
export class PolicyRegistry<P extends PolicyBase = PolicyBase> {
  private readonly byType: ReadonlyMap<string, ScalingPolicy>;
  /** Parses one policy configuration of any registered type; an unknown type lists the known ones. */
  readonly schema: z.ZodType<P>;

  constructor(policies: ReadonlyArray<ScalingPolicy<P>>) {
    this.byType = new Map(policies.map((p) => [p.type, p as ScalingPolicy]));
    const [first, ...rest] = policies.map((p) => p.schema);
    if (first === undefined) throw new ConfigError('policy registry', [{ path: '', message: 'at least one policy type is required' }]);
    const union = z.discriminatedUnion('type', [first, ...rest] as unknown as [z.ZodObject, ...z.ZodObject[]], {
      error: (issue) => (issue.code === 'invalid_union' ? `unknown policy type; expected "type" to be one of ${this.types.join(', ')}` : undefined),
    });
    this.schema = union as unknown as z.ZodType<P>;
  }

  get types(): string[] {
    return [...this.byType.keys()];
  }

  /** The policy for a configuration's type; a type nothing registered is a ConfigError naming the known ones. */
  lookup(policy: PolicyBase): ScalingPolicy {
    const found = this.byType.get(policy.type);
    if (found === undefined) {
      throw new ConfigError(`policy ${policy.name}`, [{ path: 'type', message: `no policy type ${JSON.stringify(policy.type)}; known types: ${this.types.join(', ')}`, received: policy.type }]);
    }
    return found;
  }

  /** A registry with one more type. */
  with<Q extends PolicyBase>(policy: ScalingPolicy<Q>): PolicyRegistry<P | Q> {
    return new PolicyRegistry<P | Q>([...(this.byType.values() as Iterable<ScalingPolicy<P | Q>>), policy as ScalingPolicy<P | Q>]);
  }
}

/** Every built-in policy type: one line each. */
const BUILT_IN = [ec2Step, ecsStep, targetTracking, predictive] as const;

export type PolicyConfig = ConfigOf<(typeof BUILT_IN)[number]>;
export const POLICIES = new PolicyRegistry<PolicyConfig>(BUILT_IN as unknown as ReadonlyArray<ScalingPolicy<PolicyConfig>>);

/** What a built-in policy reads from an observation. */
export const policyInputs = (policy: PolicyBase): PolicyInputs => POLICIES.lookup(policy).inputs(policy);
