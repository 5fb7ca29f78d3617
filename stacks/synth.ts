// `npm run synth`: every stack's CloudFormation template, offline (no AWS credentials, no Docker, no
// network), under cdk.out/. The functions are bundled as `sst deploy` bundles them, into .sst/artifacts/.
import { App } from 'sst/constructs';
import { initProject } from 'sst/project.js';

export interface SynthOptions {
  readonly stage?: string;
  readonly outdir?: string;
  /** Bundle the functions too (esbuild), as a deploy would. */
  readonly build?: boolean;
}

export async function synthesize({ stage = 'synth', outdir = 'cdk.out', build = true }: SynthOptions = {}) {
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
  const assembly = await synthesize();
  for (const stack of assembly.stacks) console.log(`${stack.stackName}: ${Object.keys(stack.template.Resources ?? {}).length} resources -> ${assembly.directory}/${stack.templateFile}`);
}
