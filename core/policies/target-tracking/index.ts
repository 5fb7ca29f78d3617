import { definePolicy } from '../policy';
import { longestPeriod } from '../rate-limits/schema';
import { targetTrackingPolicySchema } from './schema';
import { evaluateTargetTracking } from './target-tracking';

/** Target tracking on a per-unit metric, with HPA's stabilization windows and rate limits. */
export const targetTracking = definePolicy({
  type: 'target-tracking',
  schema: targetTrackingPolicySchema,
  inputs: (policy) => ({ metric: policy.metric }),
  propose: evaluateTargetTracking,
  historySeconds: (policy) => Math.max(policy.scaleOut.stabilizationSeconds, policy.scaleIn.stabilizationSeconds),
  rateLimitSeconds: (policy) => longestPeriod([...policy.scaleOut.policies, ...policy.scaleIn.policies]),
  afterScaling: () => ({}),
});
