import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { alarmOf, ConfigError, formatPath, ScalerError, parseControllerConfig, policyInputs, type ConfigProblem, type ControllerConfig, type MetricSourceConfig, type PolicyConfig, type TargetConfig } from '../core';

/** The environment variable that names the controller configuration file, everywhere: stacks, Lambda, CLI. */
export const CONFIG_ENV = 'SCALER_CONFIG';
export const DEFAULT_CONFIG_FILE = 'scaler.config.json';

/** What a metric source gives a deployment: the metric names it reads, and whether it evaluates alarms. */
export interface SourceReads {
  readonly name: string;
  readonly metrics: readonly string[];
  readonly alarms: boolean;
}

/** What a deployment can run: the kinds of target it has adapters for, and the metric sources it can read. */
export interface Deployment {
  /** Why a target cannot be scaled here: an unknown kind, or a resource its kind cannot find. */
  targetProblems(target: TargetConfig, path: PropertyKey[]): ConfigProblem[];
  /** What the configured metric source reads (undefined: the deployment's default), or why it cannot run here. */
  metricSource(config: MetricSourceConfig | undefined): SourceReads | ConfigProblem[];
}

/**
 * A configuration a deployment can run: the engine's schema, then what only the deployment knows. Every
 * target's kind has an adapter and its resource is one that adapter can find, and every metric a policy
 * or an alarm reads has a source. All problems are reported at once.
 */
export function parseDeployableConfig(input: unknown, deployment: Deployment, subject = 'controller configuration'): ControllerConfig {
  const config = parseControllerConfig(input);
  const source = deployment.metricSource(config.metricSource);
  const problems: ConfigProblem[] = [
    ...(Array.isArray(source) ? source : []),
    ...config.targets.flatMap((target, t) => [
      ...deployment.targetProblems(target, ['targets', t]),
      ...(Array.isArray(source) ? [] : target.policies.flatMap((policy, p) => metricProblems(target.name, policy, source, ['targets', t, 'policies', p]))),
    ]),
  ];
  if (problems.length > 0) throw new ConfigError(subject, problems);
  return config;
}

function metricProblems(targetName: string, policy: PolicyConfig, source: SourceReads, at: PropertyKey[]): ConfigProblem[] {
  const unknown = (metric: string, path: PropertyKey[]): ConfigProblem => ({
    path: formatPath(path),
    message: `the chat nodes publish only ${source.metrics.join(', ')}, so the controller cannot observe this metric`,
    received: metric,
  });
  const problems: ConfigProblem[] = [];
  const metric = policyInputs(policy).metric;
  if (metric !== undefined && !source.metrics.includes(metric)) problems.push(unknown(metric, [...at, 'metric']));
  const alarm = alarmOf(targetName, policy);
  if (alarm !== undefined && !source.alarms) {
    problems.push({ path: formatPath([...at, 'type']), message: `the ${source.name} metric source evaluates no alarms: scale with target-tracking or predictive, or read cloudwatch`, received: policy.type });
  } else if (alarm?.definition !== undefined && !source.metrics.includes(alarm.definition.metric)) {
    problems.push(unknown(alarm.definition.metric, [...at, 'alarm', 'metric']));
  }
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
