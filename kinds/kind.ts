import type { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { z } from 'zod';
import type { ScalingTarget } from '../controller';
import type { KindDeploy } from './deploy';

/** What the adapters may use to reach their targets; each adapter takes only the client it needs. */
export interface Platform {
  readonly ecs: Pick<ECSClient, 'send'>;
  readonly applicationAutoScaling: Pick<ApplicationAutoScalingClient, 'send'>;
  readonly autoscaling: Pick<AutoScalingClient, 'send'>;
}

/**
 * One kind of scaling target, everything about it in its own folder: the name a configuration gives it,
 * what its `resource` names, which platform-specific policy types it takes, its adapter and how the
 * stacks deploy it. Adding a kind is its folder and one line in `kinds/index.ts`.
 */
export interface Kind<R extends z.ZodType = z.ZodType> {
  readonly name: string;
  /** What a target of this kind names in its `resource`; unknown keys are refused. */
  readonly resource: R;
  /** The platforms whose own policy types (a policy's `platform`) it takes; every other type applies to every kind. */
  readonly platforms: readonly string[];
  /** Its adapter on AWS; absent for a kind the deployed controller does not scale (local mode's fleet). */
  readonly adapter?: (resource: z.output<R>, platform: Platform) => ScalingTarget;
  /** How the stacks deploy it; absent for a kind with nothing to deploy. */
  readonly deploy?: KindDeploy<z.output<R>>;
}

/** A kind, with its resource schema's type checked against its adapter and deploy piece. */
export const defineKind = <R extends z.ZodType>(kind: Kind<R>): Kind<R> => kind;
