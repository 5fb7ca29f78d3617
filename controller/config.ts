import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { alarmOf, ConfigError, formatPath, ScalerError, parseControllerConfig, policyInputs, type ConfigProblem, type ControllerConfig, type PolicyConfig, type TargetConfig } from '../core';

/** The environment variable that names the controller configuration file, everywhere: stacks, Lambda, CLI. */
export const CONFIG_ENV = 'SCALER_CONFIG';
export const DEFAULT_CONFIG_FILE = 'scaler.config.json';

/** What a deployment can run: the kinds of target it has adapters for, and the metrics it can read. */
export interface Deployment {
  /** Why a target cannot be scaled here: an unknown kind, or a resource its kind cannot find. */
  targetProblems(target: TargetConfig, path: PropertyKey[]): ConfigProblem[];
  /** The metric names a policy or an alarm may read. */
  readonly metrics: readonly string[];
}

/**
 * A configuration a deployment can run: the engine's schema, then what only the deployment knows. Every
 * target's kind has an adapter and its resource is one that adapter can find, and every metric a policy
 * or an alarm reads has a source. All problems are reported at once.
 */
export function parseDeployableConfig(input: unknown, deployment: Deployment, subject = 'controller configuration'): ControllerConfig {
  const config = parseControllerConfig(input);
  const problems: ConfigProblem[] = config.targets.flatMap((target, t) => [
    ...deployment.targetProblems(target, ['targets', t]),
    ...target.policies.flatMap((policy, p) => metricProblems(target.name, policy, deployment.metrics, ['targets', t, 'policies', p])),
  ]);
  if (problems.length > 0) throw new ConfigError(subject, problems);
  return config;
}

function metricProblems(targetName: string, policy: PolicyConfig, known: readonly string[], at: PropertyKey[]): ConfigProblem[] {
  const unknown = (metric: string, path: PropertyKey[]): ConfigProblem => ({
    path: formatPath(path),
    message: `the chat nodes publish only ${known.join(', ')}, so the controller cannot observe this metric`,
    received: metric,
  });
  const problems: ConfigProblem[] = [];
  const metric = policyInputs(policy).metric;
  if (metric !== undefined && !known.includes(metric)) problems.push(unknown(metric, [...at, 'metric']));
  const alarm = alarmOf(targetName, policy)?.definition;
  if (alarm !== undefined && !known.includes(alarm.metric)) problems.push(unknown(alarm.metric, [...at, 'alarm', 'metric']));
  return problems;
}

/** The path SCALER_CONFIG names (relative to `root`), or scaler.config.json in `root`. */
export const configPath = (env: NodeJS.ProcessEnv = process.env, root = process.cwd()): string => resolve(root, env[CONFIG_ENV] ?? DEFAULT_CONFIG_FILE);

/** Reads and validates the configuration file at `path`; anything missing or invalid says what and where. */
export function loadDeployableConfig(path: string, deployment: Deployment): ControllerConfig {
  if (!existsSync(path)) {
    throw new ScalerError(`no controller configuration at ${path}: create ${DEFAULT_CONFIG_FILE} in the project root or set ${CONFIG_ENV} to its path`);
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ScalerError(`controller configuration ${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return parseDeployableConfig(json, deployment);
}
