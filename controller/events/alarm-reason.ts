import { z } from 'zod';
import type { AlarmObservation } from '../../core';

/** CloudWatch's StateReasonData (a JSON string); AWS adds fields over time, so unknown ones are allowed. */
const reasonDataSchema = z.looseObject({
  recentDatapoints: z.array(z.number()).optional(),
  threshold: z.number().optional(),
});

/** The datapoints and threshold in an alarm's reason data, or undefined when it carries none. */
export function alarmObservation(reasonData: string | undefined, threshold: number | undefined): AlarmObservation | undefined {
  let parsed: z.output<typeof reasonDataSchema> = {};
  if (reasonData !== undefined) {
    try {
      const result = reasonDataSchema.safeParse(JSON.parse(reasonData));
      if (result.success) parsed = result.data;
    } catch {
      // Reason data that is not JSON carries no datapoints; the caller falls back to GetMetricData.
    }
  }
  const datapoints = (parsed.recentDatapoints ?? []).filter(Number.isFinite);
  const limit = parsed.threshold ?? threshold;
  if (datapoints.length === 0 || limit === undefined) return undefined;
  return { threshold: limit, datapoints: datapoints.map((value) => ({ value })) };
}
