// `npm run synth`: every stack's CloudFormation template, offline (no AWS credentials, no Docker, no
// network), under cdk.out/<stage>/. The functions are bundled as `sst deploy` bundles them, into .sst/artifacts/.
import { Command } from 'commander';
import { App } from 'sst/constructs';
import { initProject } from 'sst/project.js';

export interface SynthOptions {
  readonly stage?: string;
  /** Where the templates go: by default cdk.out/<stage>, so that stages never overwrite each other. */
  readonly outdir?: string;
  /** Bundle the functions too (esbuild), as a deploy would. */
  readonly build?: boolean;
}

export const DEFAULT_STAGE = 'synth';
/** SST's own rule for stage names: they begin every physical name, so letters, digits and hyphens. */
const STAGE = /^[a-zA-Z][a-zA-Z0-9-]*$/;

export async function synthesize({ stage = DEFAULT_STAGE, outdir = `cdk.out/${stage}`, build = true }: SynthOptions = {}) {
  if (!STAGE.test(stage)) throw new Error(`stage ${JSON.stringify(stage)} must start with a letter and hold only letters, digits and hyphens`);
  // SST looks up its bootstrap stack in the AWS account unless it runs under test; nothing here needs it.
  process.env.NODE_ENV = 'test';
  await initProject({ stage });
  const { default: config } = await import('../sst.config');
  const { name, region } = config.config();
  // An offline synth names no real account: its ARNs carry this placeholder, where a deploy has yours.
  const app = new App({ mode: 'deploy', stage, name, region, account: '123456789012' }, { outdir });
  config.stacks(app);
  if (build) await app.finish();
  return app.synth();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const options = new Command('npm run synth --')
    .description("Write every stack's CloudFormation template for one stage, offline: no AWS credentials, no Docker, no network")
    .option('--stage <stage>', 'the stage whose names the templates carry (every physical name is <stage>-realtime-scaler-<name>)', DEFAULT_STAGE)
    .option('--out <dir>', 'write the templates here (default: cdk.out/<stage>, so each stage has its own folder)')
    .option('--no-build', 'skip bundling the functions (faster; the templates are the same but for code hashes)')
    .addHelpText('after', '\nExamples:\n  npm run synth -- --stage a     templates in cdk.out/a/\n  npm run synth -- --stage b     templates in cdk.out/b/')
    .parse()
    .opts<{ stage: string; out?: string; build: boolean }>();
  try {
    const assembly = await synthesize({ stage: options.stage, outdir: options.out ?? `cdk.out/${options.stage}`, build: options.build });
    for (const stack of assembly.stacks) console.log(`${stack.stackName}: ${Object.keys(stack.template.Resources ?? {}).length} resources -> ${assembly.directory}/${stack.templateFile}`);
  } catch (error) {
    console.error(`synth failed: ${(error as Error).message}`);
    process.exit(1);
  }
}
