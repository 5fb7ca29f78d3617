import { z } from 'zod';
import { perUnit, resourceName, seconds, secondsUpTo } from '../../config/fields';
import { rateLimitSchema, selectPolicySchema } from '../rate-limits/schema';

/**
 * Predictive scaling from a stored forecast: units = ceil(upper forecast / connectionsPerUnit), asked
 * for `startupSeconds + schedulingBufferSeconds` ahead. Unlike AWS it may scale in, rate-limited; the
 * reactive policies still win whenever they ask for more.
 */
export const predictivePolicySchema = z.strictObject({
  type: z.literal('predictive'),
  name: resourceName,
  /** AWS's modes: `forecastOnly` logs what it would do and changes nothing. */
  mode: z.enum(['forecastAndScale', 'forecastOnly']).default('forecastAndScale'),
  connectionsPerUnit: perUnit,
  /** The upper band capacity follows: this quantile of the forecast's measured error (one per target). */
  bandQuantile: z.number().gt(0).lt(1).default(0.8),
  /**
   * Provision to the point forecast plus this many predicted spreads of demand (see the spread model)
   * instead of the upper band: the spread follows the time of day and the last hour, where the band is
   * one width per level. Absent: the band.
   */
  spreadDeviations: z.number().min(0).max(10).optional(),
  /** Seconds from launch until a unit serves. */
  startupSeconds: seconds.default(60),
  schedulingBufferSeconds: seconds.default(60),
  /**
   * Hysteresis, so capacity moves in fewer, larger steps: a scale-out covers the peak this much further
   * ahead, and a scale-in goes only as low as that peak.
   */
  holdSeconds: seconds.default(600),
  /** Scale in only when the held peak is at least this much (percent) below the current capacity. */
  scaleInThresholdPercent: z.number().min(0).max(100).default(10),
  /** AWS's MaxCapacityBreachBehavior: keep maxCapacity, or raise it to the forecast plus a buffer. */
  maxCapacityBreachBehavior: z.enum(['HonorMaxCapacity', 'IncreaseMaxCapacity']).default('HonorMaxCapacity'),
  /** With IncreaseMaxCapacity: how far above the forecast capacity the max may go, in percent. */
  maxCapacityBuffer: z.number().min(0).max(100).default(10),
  scaleIn: z
    .strictObject({
      /** Scale in only as low as the highest need of this window, so a dip in the forecast is not chased. */
      stabilizationSeconds: secondsUpTo(3600).default(600),
      /**
       * Scale in only as low as the upper band allows when it is measured this far ahead of the latest
       * datapoint (at least the lead time): what the forecast's uncertainty says may be needed again this
       * soon is kept, rather than released and relaunched.
       */
      bandHorizonSeconds: secondsUpTo(86_400).default(600),
      selectPolicy: selectPolicySchema.default('Max'),
      policies: z.array(rateLimitSchema).min(1).max(10).default([{ type: 'Percent', value: 10, periodSeconds: 60 }]),
    })
    .prefault({}),
});

export type PredictivePolicy = z.output<typeof predictivePolicySchema>;
