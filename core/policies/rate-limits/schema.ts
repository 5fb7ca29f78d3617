import { z } from 'zod';
import { UNITS_LIMIT } from '../../config/fields';

/** One limit on how fast capacity may move, as a Kubernetes HPA scaling policy. */
export const rateLimitSchema = z.strictObject({
  /** Percent of the capacity at the start of the period, or a number of units. */
  type: z.enum(['Percent', 'Units']),
  value: z.number().positive().max(UNITS_LIMIT),
  periodSeconds: z.number().int().min(1).max(3600),
});

export type RateLimit = z.output<typeof rateLimitSchema>;

/** How several limits combine: `Max` the most permissive, `Min` the strictest, `Disabled` never moves. */
export const selectPolicySchema = z.enum(['Max', 'Min', 'Disabled']);

/** The longest period of any of these limits: how long applied changes matter to them. */
export const longestPeriod = (limits: readonly RateLimit[]): number => limits.reduce((longest, rule) => Math.max(longest, rule.periodSeconds), 0);

/** The limits on one direction of movement, however a policy's schema spells the rest of it. */
export interface DirectionLimits {
  readonly selectPolicy: z.output<typeof selectPolicySchema>;
  readonly policies: readonly RateLimit[];
}
