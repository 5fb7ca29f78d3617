import { z } from 'zod';
import { metricValue } from './config/fields';
import type { AlarmObservation } from './observation';

/**
 * The CloudWatch alarm that drives a step policy, with CloudWatch's own names. The stacks create it from
 * this definition, and simulations evaluate it with `evaluateAlarm`.
 */
export const alarmSchema = z
  .strictObject({
    /** The CloudWatch alarm's name; by default `<target>-<policy>` (see `alarmNameOf`). */
    name: z.string().min(1).max(255).optional(),
    /** The metric it watches, e.g. `connections`, published by every unit. */
    metric: z.string().min(1).default('connections'),
    /** `Average` is per unit, `Sum` the fleet total. */
    statistic: z.enum(['Average', 'Sum', 'Maximum', 'Minimum']).default('Average'),
    comparison: z.enum(['GreaterThanOrEqualToThreshold', 'GreaterThanThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold']),
    threshold: metricValue,
    periodSeconds: z
      .number()
      .int()
      .refine((p) => [10, 20, 30].includes(p) || (p >= 60 && p % 60 === 0), 'must be 10, 20, 30 or a multiple of 60 (CloudWatch periods)')
      .default(60),
    evaluationPeriods: z.number().int().min(1).max(1440).default(1),
    /** M of N: how many of the last `evaluationPeriods` datapoints must breach (defaults to all of them). */
    datapointsToAlarm: z.number().int().min(1).max(1440).optional(),
  })
  .superRefine(
    (alarm, ctx) => {
      if (typeof alarm !== 'object' || alarm === null) return;
      const evaluationPeriods = alarm.evaluationPeriods ?? 1;
      if (typeof alarm.datapointsToAlarm === 'number' && typeof evaluationPeriods === 'number' && alarm.datapointsToAlarm > evaluationPeriods) {
        ctx.addIssue({
          code: 'custom',
          path: ['datapointsToAlarm'],
          message: `datapointsToAlarm (${alarm.datapointsToAlarm}) must not exceed evaluationPeriods (${evaluationPeriods})`,
        });
      }
    },
    // Checked even when another field is malformed, so every problem is reported at once.
    { when: () => true },
  );

export type AlarmDefinition = z.output<typeof alarmSchema>;

const breaches: Record<AlarmDefinition['comparison'], (value: number, threshold: number) => boolean> = {
  GreaterThanOrEqualToThreshold: (v, t) => v >= t,
  GreaterThanThreshold: (v, t) => v > t,
  LessThanThreshold: (v, t) => v < t,
  LessThanOrEqualToThreshold: (v, t) => v <= t,
};

/**
 * CloudWatch's M-of-N evaluation over the alarm's periods, newest last; missing datapoints (NaN) neither
 * breach nor count (treatMissingData "missing"). Returns what the step policy sees while the alarm is in
 * ALARM, or undefined while it is not.
 */
export function evaluateAlarm(alarm: AlarmDefinition, periods: readonly number[]): AlarmObservation | undefined {
  const window = periods.slice(-alarm.evaluationPeriods).filter(Number.isFinite);
  const needed = alarm.datapointsToAlarm ?? alarm.evaluationPeriods;
  const breaching = window.filter((v) => breaches[alarm.comparison](v, alarm.threshold)).length;
  if (breaching < needed) return undefined;
  return { threshold: alarm.threshold, datapoints: window.map((value) => ({ value })) };
}

/** The CloudWatch alarm name of an alarm-driven policy: its definition's own, or `<target>-<policy>`. */
export function alarmNameOf(targetName: string, policyName: string, definition: { readonly name?: string | undefined } | undefined): string {
  return definition?.name ?? `${targetName}-${policyName}`;
}
