import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseTimestamp, parseTraceCsv, scaleToMean, type Trace } from '../sim';
import { CONFIG_ENV, DEFAULT_CONFIG_FILE } from '../controller';
import { localFleet, parseKnownKinds } from '../kinds';
import { parseTargetConfig, ScalerError, type ControllerConfig, type TargetConfig } from '../core';

/** Bad command-line input: a missing file, unreadable JSON, a malformed option. */
export class CliInputError extends ScalerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliInputError';
  }
}

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The configuration a command reads unless told otherwise: the file SCALER_CONFIG names, else the shipped example. */
export const defaultConfigPath = process.env[CONFIG_ENV] ? resolve(process.env[CONFIG_ENV]) : resolve(projectRoot, DEFAULT_CONFIG_FILE);
/** The sample traces shipped with the project (examples/traces/README.md says what each is). */
export const sampleTracesDir = resolve(projectRoot, 'examples/traces');
/** How every command that reads a trace describes the file it expects. */
export const TRACE_ARGUMENT = 'CSV with timestamp and value columns';

export function readText(path: string, what: string): string {
  try {
    return readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (error) {
    throw new CliInputError(`cannot read ${what} ${path}: ${(error as Error).message}`, { cause: error });
  }
}

export function readJson(path: string, what: string): unknown {
  const text = readText(path, what);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliInputError(`${what} ${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

export function requireFile(path: string, hint: string): string {
  if (!existsSync(path)) throw new CliInputError(`${path} does not exist; ${hint}`);
  return path;
}

/** A time option's parser: the forms a trace's timestamps take (ISO 8601 with or without an offset, epoch numbers). */
export function parseTimeOption(name: string) {
  return (value: string): number => {
    const time = parseTimestamp(value.trim());
    if (time === undefined) throw new CliInputError(`${name} must be epoch seconds or an ISO 8601 time, got ${JSON.stringify(value)}`);
    return time;
  };
}

/** A command that ran but failed at its job (a load test whose connections did not hold): exit 1. */
export class CommandFailedError extends ScalerError {
  constructor(message: string) {
    super(message);
    this.name = 'CommandFailed';
  }
}

/**
 * A numeric option's parser: at least `min` (or above it, with `above`), at most `max`, whole when
 * `integer`. The message states the whole range, so one error says what would be accepted.
 */
export function parseNumberOption(name: string, { min, max = Infinity, integer = false, above = false }: { min: number; max?: number; integer?: boolean; above?: boolean }) {
  const range = `${above ? '>' : '>='} ${min}${Number.isFinite(max) ? ` and <= ${max.toLocaleString('en-US')}` : ''}`;
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < min || (above && n === min) || n > max || (integer && !Number.isInteger(n))) {
      throw new CliInputError(`${name} must be ${integer ? 'a whole number' : 'a number'} ${range}, got ${JSON.stringify(value)}`);
    }
    return n;
  };
}

export function isoMinute(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().slice(0, 16).replace('T', ' ');
}

/** The named target of a configuration, or its first one when no name is given. */
export function pickTarget(config: ControllerConfig, name: string | undefined): TargetConfig {
  const target = name === undefined ? config.targets[0] : config.targets.find((t) => t.name === name);
  if (target === undefined) {
    throw new CliInputError(`unknown target ${JSON.stringify(name)}; the configuration has: ${config.targets.map((t) => t.name).join(', ')}`);
  }
  return target;
}

/** The `{ objective?, policies }` block `scaler tune --out` writes, rather than a whole configuration. */
export function isPolicyBlock(json: unknown): boolean {
  return typeof json === 'object' && json !== null && !('targets' in json) && 'policies' in json;
}

/**
 * The target `--config` names: one of a controller configuration's, or a policy block (`{ objective?,
 * policies }`, what `scaler tune --out` writes) on a target with the command's --min and --max.
 */
export function configuredTarget(json: unknown, options: { readonly config: string; readonly target?: string | undefined; readonly min: number; readonly max: number }): TargetConfig {
  if (typeof json === 'object' && json !== null && 'targets' in json) return pickTarget(parseKnownKinds(json), options.target);
  if (isPolicyBlock(json)) {
    if (options.target !== undefined) throw new CliInputError(`--target names a target, but ${options.config} is a policy block with none`);
    const { policies, objective } = json as { policies: unknown; objective?: unknown };
    return parseTargetConfig({ name: 'tuned', kind: localFleet.name, minCapacity: options.min, maxCapacity: options.max, policies, ...(objective === undefined ? {} : { objective }) });
  }
  throw new CliInputError(`${options.config} is neither a controller configuration (with "targets") nor a policy block (with "policies")`);
}

/** A trace CSV (timestamp and value columns) read and, given a `mean`, scaled so its sample mean is that many connections. */
export function loadTrace(path: string, mean?: number): Trace {
  requireFile(path, 'pass a trace CSV (timestamp,value) as the first argument');
  const trace = parseTraceCsv(readText(path, 'trace'), path);
  return mean === undefined ? trace : scaleToMean(trace, mean);
}

/** Commander's accumulator for a repeatable option. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
