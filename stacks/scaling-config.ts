import type { App } from 'sst/constructs';
import type { ControllerConfig, TargetConfig } from '../core';
import { configPath, loadDeployableConfig } from '../functions/config';

const loaded = new WeakMap<App, { path: string; config: ControllerConfig }>();

/**
 * The scaling configuration this app deploys: the file SCALER_CONFIG names (scaler.config.json by
 * default), read and validated once per synth. Every stack takes its targets, alarms and schedules from
 * it, and the controller functions run on the same file. An invalid file synthesizes nothing.
 */
export function scalingConfig(app: App): { path: string; config: ControllerConfig } {
  let entry = loaded.get(app);
  if (entry === undefined) {
    const path = configPath();
    entry = { path, config: loadDeployableConfig(path) };
    loaded.set(app, entry);
  }
  return entry;
}

/** The configured targets of one kind. */
export const targetsOfKind = (app: App, kind: string): TargetConfig[] => scalingConfig(app).config.targets.filter((t) => t.kind === kind);

/** A construct id from a target's name: CloudFormation logical ids take letters and digits only. */
export const idOf = (name: string): string => name.replace(/(^|[^A-Za-z0-9]+)([A-Za-z0-9])/g, (_, __, c: string) => c.toUpperCase()).replace(/[^A-Za-z0-9]/g, '');
