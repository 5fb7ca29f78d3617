import { z } from 'zod';
import { perUnit, resourceName, secondsUpTo } from '../../config/fields';
import { rateLimitSchema, selectPolicySchema } from '../rate-limits/schema';

/**
 * How fast one direction may move, as Kubernetes HPA `behavior`: a stabilization window, and rate limits
 * combined by `selectPolicy` (`Max`: the most permissive limit, `Min`: the strictest, `Disabled`: never).
 */
function directionSchema(defaults: { stabilizationSeconds: number; policies: z.input<typeof rateLimitSchema>[] }) {
  return z
    .strictObject({
      stabilizationSeconds: secondsUpTo(3600).default(defaults.stabilizationSeconds),
      selectPolicy: selectPolicySchema.default('Max'),
      policies: z.array(rateLimitSchema).max(10).default(defaults.policies),
    })
    .prefault({});
}

/** Target tracking on a per-unit metric: desired = ceil(metric total / targetPerUnit). */
export const targetTrackingPolicySchema = z
  .strictObject({
    type: z.literal('target-tracking'),
    name: resourceName,
    /** Which observed metric to track; its value is the fleet's total (e.g. open connections). */
    metric: z.string().min(1).default('connections'),
    targetPerUnit: perUnit,
    /** No change while the metric is within this fraction of the target (HPA's default: 0.1). */
    tolerance: z.number().min(0).max(1).default(0.1),
    scaleOut: directionSchema({
      stabilizationSeconds: 0,
      policies: [
        { type: 'Percent', value: 100, periodSeconds: 60 },
        { type: 'Units', value: 4, periodSeconds: 60 },
      ],
    }),
    scaleIn: directionSchema({ stabilizationSeconds: 300, policies: [{ type: 'Percent', value: 100, periodSeconds: 60 }] }),
  })
  .superRefine((policy, ctx) => {
    for (const direction of ['scaleOut', 'scaleIn'] as const) {
      const { selectPolicy, policies } = policy[direction];
      if (selectPolicy !== 'Disabled' && policies.length === 0) {
        ctx.addIssue({
          code: 'custom',
          path: [direction, 'policies'],
          message: `at least one rate limit is needed unless selectPolicy is Disabled (selectPolicy is ${selectPolicy})`,
        });
      }
    }
  });

export type TargetTrackingPolicy = z.output<typeof targetTrackingPolicySchema>;
