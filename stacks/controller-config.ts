import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseControllerConfig, ScalerError, type ControllerConfig } from '../core';

export const CONFIG_ENV = 'SCALER_CONFIG';
export const DEFAULT_CONFIG_FILE = 'scaler.config.json';

/**
 * The controller configuration a deploy uses: the file named by SCALER_CONFIG, or scaler.config.json in
 * the project root. It is validated before any resource is defined, so an invalid one deploys nothing.
 */
export function loadControllerConfig(env: NodeJS.ProcessEnv = process.env, root = process.cwd()): ControllerConfig {
  const path = resolve(root, env[CONFIG_ENV] ?? DEFAULT_CONFIG_FILE);
  if (!existsSync(path)) {
    throw new ScalerError(
      `no controller configuration at ${path}: create ${DEFAULT_CONFIG_FILE} (start from examples/controller.json) or set ${CONFIG_ENV} to its path`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ScalerError(`controller configuration ${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return parseControllerConfig(json);
}
