import { z } from 'zod';
import { finiteNumber } from './config/fields';
import { tryParse } from './config/parse';
import { formatProblem, InvalidInputError } from './errors';

/** Schema for an Observation that arrives as JSON (a file, an event): shape only; the engine checks meaning. */
export const observationSchema = z.strictObject({
  capacity: z.number().int().min(0),
  metrics: z.record(z.string(), finiteNumber),
  alarms: z
    .record(
      z.string(),
      z.strictObject({
        threshold: finiteNumber,
        datapoints: z.array(z.strictObject({ value: finiteNumber, warming: z.boolean().optional() })).min(1),
      }),
    )
    .default({}),
  platform: z.strictObject({ min: z.number().int().min(0).optional(), max: z.number().int().min(0).optional() }).optional(),
  schedules: z
    .record(
      z.string(),
      z.strictObject({
        start: finiteNumber,
        stepSeconds: z.number().positive(),
        units: z.array(z.number().int().min(0)).min(1),
        keep: z.array(z.number().int().min(0)).min(1).optional(),
      }),
    )
    .optional(),
});

/**
 * An observation read from JSON, or an InvalidInputError (it is input to decide on, not configuration)
 * listing every problem with its path and the value received.
 */
export function parseObservation(input: unknown): z.output<typeof observationSchema> {
  const result = tryParse(observationSchema, input);
  if (result.ok) return result.data;
  throw new InvalidInputError(`Invalid observation: ${result.problems.length} problem(s)\n${result.problems.map(formatProblem).join('\n')}`);
}
