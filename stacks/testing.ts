// Stack test wiring: the whole app synthesized in-process, as `npm run synth` does, with cdk-nag's
// AwsSolutions checks applied, so every test reads the same templates and annotations.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Aspects } from 'aws-cdk-lib';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { inject } from 'vitest';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { App } from 'sst/constructs';
import { initProject } from 'sst/project.js';
import config from '../sst.config';
import { CONFIG_ENV } from '../controller';
import { ChatEc2 } from './ChatEc2';
import { ChatFargate } from './ChatFargate';
import { Controller } from './Controller';
import { Dashboard } from './Dashboard';
import { LoadBalancer } from './LoadBalancer';
import { Network } from './Network';
import { Redis } from './Redis';

export const STACKS = { Network, Redis, LoadBalancer, ChatFargate, ChatEc2, Controller, Dashboard } as const;
export type StackName = keyof typeof STACKS;

let initialized = false;

export interface SynthesizedApp {
  template(name: StackName): Template;
  /** cdk-nag's AwsSolutions errors that no suppression covers, as "stack path: rule: message". */
  nagErrors(): string[];
  /** Every identity-policy statement in the app: which role or policy, its actions, resources and condition. */
  statements(): PolicyStatementIn[];
  /** The directory a function's code was staged in, as a deploy uploads it. */
  bundleOf(name: StackName, functionLogicalId: string): string;
  /** Each stack with the stacks it deploys after. */
  dependencies(): Array<{ name: StackName; dependsOn: StackName[] }>;
}

export interface PolicyStatementIn {
  readonly stack: StackName;
  readonly owner: string;
  readonly actions: string[];
  readonly resources: unknown[];
  readonly condition?: Record<string, unknown>;
}

interface CfnStatement {
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  Condition?: Record<string, unknown>;
}

const asList = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

/** The identity-policy statements of a template: IAM policies, managed policies and roles' inline ones. */
function statementsOf(stack: StackName, template: Record<string, unknown>): PolicyStatementIn[] {
  const resources = (template.Resources ?? {}) as Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  return Object.entries(resources).flatMap(([owner, r]) => {
    const documents: Array<{ Statement: CfnStatement[] }> = [];
    if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') documents.push(r.Properties!.PolicyDocument as { Statement: CfnStatement[] });
    if (r.Type === 'AWS::IAM::Role') documents.push(...asList(r.Properties!.Policies as Array<{ PolicyDocument: { Statement: CfnStatement[] } }>).map((p) => p.PolicyDocument));
    return documents.flatMap((d) =>
      d.Statement.filter((st) => st.Effect === 'Allow').map((st) => ({
        stack,
        owner,
        actions: asList(st.Action),
        resources: asList(st.Resource),
        ...(st.Condition === undefined ? {} : { condition: st.Condition }),
      })),
    );
  });
}

/** The stage the stack tests synthesize, unless a test names another. */
export const TEST_STAGE = 'test';
/** A physical name as the test stage deploys it. */
export const staged = (name: string, stage = TEST_STAGE) => `${stage}-realtime-scaler-${name}`;

/**
 * Synthesizes the app on the scaling configuration at `configFile` into `outdir`, as `sst deploy` would
 * (or `sst dev`, with `mode: 'dev'`), with cdk-nag's AwsSolutions checks applied.
 */
export async function synthesizeAssembly(options: { configFile?: string; mode?: 'deploy' | 'dev'; outdir: string; stage?: string; build?: boolean }): Promise<CloudAssembly> {
  if (!initialized) {
    await initProject({ stage: TEST_STAGE });
    initialized = true;
  }
  const previous = process.env[CONFIG_ENV];
  process.env[CONFIG_ENV] = options.configFile ?? 'scaler.config.json';
  try {
    const app = new App({ mode: options.mode ?? 'deploy', stage: options.stage ?? TEST_STAGE, name: 'realtime-scaler', region: 'us-east-1', account: '123456789012' }, { outdir: options.outdir });
    Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
    config.stacks(app);
    // As a deploy does: the functions are bundled and their runtime and code set, SST's checks run.
    if (options.build ?? true) await app.finish();
    // One synth: SST's construct-id check may run only once per app, so templates and findings are read
    // from this assembly rather than re-synthesized per stack.
    return app.synth();
  } finally {
    if (previous === undefined) delete process.env[CONFIG_ENV];
    else process.env[CONFIG_ENV] = previous;
  }
}

/** What the tests read of a synthesized app. */
function viewOf(assembly: CloudAssembly, stage = TEST_STAGE): SynthesizedApp {
  const names = Object.keys(STACKS) as StackName[];
  const artifact = (name: StackName) => assembly.getStackByName(staged(name, stage));
  return {
    template: (name) => Template.fromJSON(artifact(name).template as Record<string, unknown>),
    statements: () => names.flatMap((name) => statementsOf(name, artifact(name).template as Record<string, unknown>)),
    bundleOf: (name, id) => {
      const code = (artifact(name).template as { Resources: Record<string, { Properties: { Code: { S3Key: string } } }> }).Resources[id]!.Properties.Code;
      return join(assembly.directory, `asset.${code.S3Key.replace(/\.zip$/, '')}`);
    },
    dependencies: () =>
      names.map((name) => ({
        name,
        dependsOn: artifact(name).dependencies.flatMap((d) => names.filter((n) => d.id === staged(n, stage))),
      })),
    nagErrors: () =>
      names.flatMap((name) =>
        artifact(name)
          .messages.filter((m) => m.level === 'error' && String(m.entry.data).startsWith('AwsSolutions-'))
          .map((m) => `${m.id}: ${String(m.entry.data)}`),
      ),
  };
}

let scratch: string | undefined;
/** A directory for this file's synths (each is tens of MB of assets); `removeSyntheses` deletes it. */
function scratchDir(): string {
  scratch ??= mkdtempSync(join(tmpdir(), 'scaler-stacks-'));
  return mkdtempSync(join(scratch, 'app-'));
}

/** Deletes what `synthApp` wrote; a test file that synthesizes calls it in `afterAll`. */
export function removeSyntheses(): void {
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
}

/** Synthesizes the app afresh (on another configuration, or as `sst dev`). */
export async function synthApp(configFile = 'scaler.config.json', mode: 'deploy' | 'dev' = 'deploy'): Promise<SynthesizedApp> {
  return viewOf(await synthesizeAssembly({ configFile, mode, outdir: scratchDir() }));
}

/** Synthesizes the shipped app as another stage deploys it, without bundling the functions. */
export async function stageApp(stage: string): Promise<SynthesizedApp & { templates(): Record<string, unknown>[] }> {
  const assembly = await synthesizeAssembly({ stage, build: false, outdir: scratchDir() });
  return { ...viewOf(assembly, stage), templates: () => assembly.stacks.map((s) => s.template as Record<string, unknown>) };
}

/** The app on the shipped configuration: synthesized once per test run (vitest globalSetup), read here. */
export async function shippedApp(): Promise<SynthesizedApp> {
  const dir = inject('shippedAssembly');
  return dir ? viewOf(new CloudAssembly(dir)) : synthApp();
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The shipped app's cloud assembly, synthesized once by test-support/shipped-stacks.ts. */
    shippedAssembly: string;
  }
}
