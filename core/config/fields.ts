import { z } from 'zod';

/** A name users write in configs, logs and CloudWatch dimensions. */
export const resourceName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, 'must be 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit');

export const finiteNumber = z.number().refine(Number.isFinite, 'must be a finite number');

export const seconds = z.number().int('must be a whole number of seconds').min(0);
