import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { IConstruct } from 'constructs';
import type { App } from 'sst/constructs';
import type { ControllerConfig, TargetConfig } from '../core';
import { configPath, loadDeployableConfig, parseDeployableConfig } from '../controller';
import { AWS_DEPLOYMENT } from '../aws';
import { chatComputeOf, physicalResource } from './kind-deploy';
import type { ChatCompute } from '../kinds';

export interface StageConfig {
  /** The configuration as this stage deploys it: every physical name carries the app and the stage. */
  readonly config: ControllerConfig;
  /** Where that configuration is written, relative to the project root: the controller functions bundle it. */
  readonly file: string;
}

const loaded = new WeakMap<App, StageConfig>();

/**
 * The scaling configuration this app deploys: the file SCALER_CONFIG names (scaler.config.json by
 * default), read and validated once per synth, with its names made the stage's own (`stagedConfig`). Every
 * stack takes its targets, alarms and schedules from it, and the controller functions run on the same
 * staged file. An invalid file synthesizes nothing.
 */
export function scalingConfig(app: App): StageConfig {
  let entry = loaded.get(app);
  if (entry === undefined) {
    const config = stagedConfig(loadDeployableConfig(configPath(), AWS_DEPLOYMENT), (name) => app.logicalPrefixedName(name));
    entry = { config, file: writeStaged(app.stage, `${JSON.stringify(config, null, 2)}\n`) };
    loaded.set(app, entry);
  }
  return entry;
}

/**
 * Writes a staged configuration where its content alone names it, atomically: synths of the same stage on
 * other configurations, at the same time, never overwrite each other's file before it is bundled.
 */
function writeStaged(stage: string, content: string): string {
  const file = `.sst/scaler/${stage}/${createHash('sha256').update(content).digest('hex').slice(0, 16)}.config.json`;
  mkdirSync(dirname(resolve(file)), { recursive: true });
  const partial = `${resolve(file)}.${process.pid}.tmp`;
  writeFileSync(partial, content);
  renameSync(partial, resolve(file));
  return file;
}

/**
 * A configuration with every name the AWS account sees passed through `physical` (SST's
 * `<stage>-<app>-<name>`): the targets (so their metrics, alarms and dashboards), their resources, and the
 * alarms a policy names. Two stages then share no cluster, service, group, alarm or metric, and neither
 * stage's rules match the other's alarms.
 */
export function stagedConfig(config: ControllerConfig, physical: (name: string) => string): ControllerConfig {
  const staged = {
    ...config,
    targets: config.targets.map((target) => ({
      ...target,
      name: physical(target.name),
      resource: physicalResource(target, physical),
      policies: target.policies.map((policy) => {
        const alarm = (policy as { alarm?: { name?: string } }).alarm;
        return alarm?.name === undefined ? policy : { ...policy, alarm: { ...alarm, name: physical(alarm.name) } };
      }),
    })),
  };
  return parseDeployableConfig(staged, AWS_DEPLOYMENT, 'controller configuration, with the stage in its names');
}

/** The configured targets whose chat nodes run on the given compute (their kind says which). */
export const targetsWithChatOn = (app: App, compute: ChatCompute): TargetConfig[] => scalingConfig(app).config.targets.filter((t) => chatComputeOf(t) === compute);

/** A construct id from a name: CloudFormation logical ids take letters and digits only. */
export const idOf = (name: string): string => name.replace(/(^|[^A-Za-z0-9]+)([A-Za-z0-9])/g, (_, __, c: string) => c.toUpperCase()).replace(/[^A-Za-z0-9]/g, '');

/** A construct id from a physical name, without its stage: every stage has the same logical ids. */
export function stageFreeId(scope: IConstruct, physicalName: string): string {
  const prefix = (scope.node.root as App).logicalPrefixedName('');
  return idOf(physicalName.startsWith(prefix) ? physicalName.slice(prefix.length) : physicalName);
}
