// Stack test wiring: the whole app synthesized in-process, as `npm run synth` does, with cdk-nag's
// AwsSolutions checks applied, so every test reads the same templates and annotations.
import { join } from 'node:path';
import { Aspects, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { App, getStack, type StackContext } from 'sst/constructs';
import { initProject } from 'sst/project.js';
import config from '../sst.config';
import { CONFIG_ENV } from '../functions/config';
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
  readonly stacks: Record<StackName, Stack>;
  template(name: StackName): Template;
  /** cdk-nag's AwsSolutions errors that no suppression covers, as "stack path: rule: message". */
  nagErrors(): string[];
  /** Every identity-policy statement in the app: which role or policy, its actions, resources and condition. */
  statements(): PolicyStatementIn[];
  /** The directory a function's code was staged in, as a deploy uploads it. */
  bundleOf(name: StackName, functionLogicalId: string): string;
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

/**
 * Synthesizes the app on the scaling configuration at `configFile` (the shipped one by default), as
 * `sst deploy` would, or as `sst dev` would with `mode: 'dev'`.
 */
export async function synthApp(configFile = 'scaler.config.json', mode: 'deploy' | 'dev' = 'deploy'): Promise<SynthesizedApp> {
  if (!initialized) {
    await initProject({ stage: 'test' });
    initialized = true;
  }
  const previous = process.env[CONFIG_ENV];
  process.env[CONFIG_ENV] = configFile;
  try {
    const app = new App({ mode, stage: 'test', name: 'realtime-scaler', region: 'us-east-1', account: '123456789012' });
    Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
    config.stacks(app);
    // As a deploy does: the functions are bundled and their runtime and code set, SST's checks run.
    await app.finish();
    // One synth: SST's construct-id check may run only once per app, so templates and findings are read
    // from this assembly rather than re-synthesized per stack.
    const assembly = app.synth();
    const stacks = Object.fromEntries(Object.entries(STACKS).map(([name, fn]) => [name, getStack(fn as (ctx: StackContext) => unknown)])) as unknown as Record<StackName, Stack>;
    const artifact = (name: StackName) => assembly.getStackByName(stacks[name].stackName);
    return {
      stacks,
      template: (name) => Template.fromJSON(artifact(name).template as Record<string, unknown>),
      statements: () => (Object.keys(stacks) as StackName[]).flatMap((name) => statementsOf(name, artifact(name).template as Record<string, unknown>)),
      bundleOf: (name, id) => {
        const code = (artifact(name).template as { Resources: Record<string, { Properties: { Code: { S3Key: string } } }> }).Resources[id]!.Properties.Code;
        return join(assembly.directory, `asset.${code.S3Key.replace(/\.zip$/, '')}`);
      },
      nagErrors: () =>
        (Object.keys(stacks) as StackName[]).flatMap((name) =>
          artifact(name)
            .messages.filter((m) => m.level === 'error' && String(m.entry.data).startsWith('AwsSolutions-'))
            .map((m) => `${m.id}: ${String(m.entry.data)}`),
        ),
    };
  } finally {
    if (previous === undefined) delete process.env[CONFIG_ENV];
    else process.env[CONFIG_ENV] = previous;
  }
}
