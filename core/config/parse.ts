import type { z } from 'zod';
import { ConfigError, type ConfigProblem } from '../errors';

/**
 * Parses `input` with `schema`, or throws a ConfigError that lists every problem at once,
 * each with its path, the rule and the value received there.
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, subject: string): z.output<S> {
  const result = tryParse(schema, input);
  if (result.ok) return result.data;
  throw new ConfigError(subject, result.problems);
}

/** Every problem `schema` finds with `input`, with paths under `at` (empty when it parses). */
export function schemaProblems(schema: z.ZodType, input: unknown, at: readonly PropertyKey[] = []): ConfigProblem[] {
  const result = tryParse(schema, input, at);
  return result.ok ? [] : result.problems;
}

/** Parses once: the data, or every problem with its path (under `at`) and the value received. */
export function tryParse<S extends z.ZodType>(
  schema: S,
  input: unknown,
  at: readonly PropertyKey[] = [],
): { readonly ok: true; readonly data: z.output<S> } | { readonly ok: false; readonly problems: ConfigProblem[] } {
  const result = schema.safeParse(input);
  return result.success ? { ok: true, data: result.data } : { ok: false, problems: result.error.issues.flatMap((issue) => toProblems(issue, input, at)) };
}

function toProblems(issue: z.core.$ZodIssue, input: unknown, at: readonly PropertyKey[] = []): ConfigProblem[] {
  if (issue.code === 'unrecognized_keys') {
    const parent = valueAt(input, issue.path);
    return issue.keys.map((key) => ({
      path: formatPath([...at, ...issue.path, key]),
      message: 'unknown key',
      received: (parent.value as Record<string, unknown>)[key],
    }));
  }
  const found = valueAt(input, issue.path);
  return [{ path: formatPath([...at, ...issue.path]), message: issue.message, ...(found.found ? { received: found.value } : {}) }];
}

function valueAt(root: unknown, path: readonly PropertyKey[]): { found: boolean; value: unknown } {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || !(key in value)) return { found: false, value: undefined };
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return { found: true, value };
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`)).join('');
}
