/** Base class of every error the scaling engine raises. */
export class ScalerError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ScalerError';
  }
}

export interface ConfigProblem {
  /** Where the problem is, e.g. `targets[0].policies[1].StepAdjustments[2]`. */
  readonly path: string;
  /** The rule that was broken. */
  readonly message: string;
  /** The value that was received at `path` (absent when the key itself is missing). */
  readonly received?: unknown;
}

/** A configuration (or persisted state) that breaks one or more rules; every problem is listed. */
export class ConfigError extends ScalerError {
  readonly problems: readonly ConfigProblem[];

  constructor(subject: string, problems: readonly ConfigProblem[], options?: { cause?: unknown }) {
    super(`Invalid ${subject}: ${problems.length} problem(s)\n${problems.map(formatProblem).join('\n')}`, options);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Observations handed to the engine that it cannot decide on (NaN metric, negative capacity, ...). */
export class InvalidInputError extends ScalerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidInputError';
  }
}

export function formatProblem(problem: ConfigProblem): string {
  const received = 'received' in problem ? ` (received: ${describeValue(problem.received)})` : '';
  return `  - ${problem.path || '(root)'}: ${problem.message}${received}`;
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return quote(JSON.stringify(value) ?? String(value));
}

/** The most characters of an outside value quoted in an error or a log line. */
export const QUOTE_LIMIT = 200;

/**
 * `text` as it may appear in an error or a log line: whole up to QUOTE_LIMIT characters, else its start
 * and its original length, so hostile input never becomes a huge message.
 */
export function quote(text: string): string {
  return text.length > QUOTE_LIMIT ? `${text.slice(0, QUOTE_LIMIT)}... (${text.length} characters)` : text;
}
