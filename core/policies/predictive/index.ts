import { definePolicy } from '../policy';
import { longestPeriod } from '../rate-limits/schema';
import { evaluatePredictive } from './predictive';
import { forecastFitOptions, scheduleFromModel } from './schedule';
import { predictivePolicySchema } from './schema';

/** Predictive scaling from the stored forecast, with a rate-limited, stabilized scale-in. */
export const predictive = definePolicy({
  type: 'predictive',
  schema: predictivePolicySchema,
  inputs: (policy) => ({
    forecast: {
      bandQuantile: policy.bandQuantile,
      fitOptions: (stepSeconds) => forecastFitOptions(policy, stepSeconds),
      schedule: (model, observed) => scheduleFromModel(model, observed, policy),
    },
  }),
  propose: evaluatePredictive,
  historySeconds: (policy) => policy.scaleIn.stabilizationSeconds,
  rateLimitSeconds: (policy) => longestPeriod(policy.scaleIn.policies),
  afterScaling: () => ({}),
});
