import { z } from 'zod';

/** A name users write in configs, logs and CloudWatch dimensions. */
export const resourceName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'must be 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit');

export const finiteNumber = z.number().refine(Number.isFinite, 'must be a finite number');

/** The most units a target may have: far above any ECS service's task quota or Auto Scaling group's size in practice. */
export const UNITS_LIMIT = 100_000;
/** The largest metric value a threshold or step bound may name (a fleet's total connections, with room to spare). */
export const METRIC_LIMIT = 1e12;
/** A unit serves between this many metric units (a hundredth of a connection) and ten million of them. */
export const PER_UNIT_RANGE = { min: 0.01, max: 10_000_000 } as const;
/** The longest duration any setting takes: a day. */
export const SECONDS_LIMIT = 86_400;

const format = (n: number) => n.toLocaleString('en-US');

/** A whole number of units, from `min` to UNITS_LIMIT. */
export const units = (min = 0) =>
  z.number().refine((n) => Number.isInteger(n) && n >= min && n <= UNITS_LIMIT, `must be a whole number of units from ${min} to ${format(UNITS_LIMIT)}`);

/** A whole number of seconds from 0 to `max` (a day unless a tighter limit applies), in one message. */
export const seconds = secondsUpTo(SECONDS_LIMIT);
export function secondsUpTo(max: number) {
  return z.number().refine((n) => Number.isInteger(n) && n >= 0 && n <= max, `must be a whole number of seconds from 0 to ${format(max)}`);
}

/** How many metric units (connections) one unit serves. */
export const perUnit = z.number().refine((n) => n >= PER_UNIT_RANGE.min && n <= PER_UNIT_RANGE.max, `must be from ${PER_UNIT_RANGE.min} to ${format(PER_UNIT_RANGE.max)} per unit`);

/** A metric value a threshold or a step interval's bound may take. */
export const metricValue = z.number().refine((n) => Math.abs(n) <= METRIC_LIMIT, `must be a finite number from -${METRIC_LIMIT.toExponential()} to ${METRIC_LIMIT.toExponential()}`);
