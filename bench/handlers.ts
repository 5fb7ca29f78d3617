import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { FUNCTION_BUNDLING, leanZod } from '../stacks/bundling';
import { synthesize } from '../stacks/synth';
import { exampleConfig, fakeAws, recordingLog } from '../aws/testing';
import { runScheduled } from '../controller';
import { summarizeSamples } from '../chat/load/stats';

/**
 * Each controller function as the stack builds it: the app is synthesized (offline, as `npm run synth`
 * does) and each function's bundle is read from the staged asset a deploy would upload. `withoutSdk` is
 * the same entry bundled with the same options but the AWS SDK left out: the project's own share.
 */
export async function stackBundles(): Promise<{ bundles: Array<{ handler: string; bytes: number; withoutSdk: number; file: string; dir: string }>; dispose: () => void }> {
  const outdir = mkdtempSync(join(tmpdir(), 'scaler-bundle-'));
  const assembly = await synthesize({ outdir, stage: 'bench' });
  const controller = assembly.stacks.find((s) => s.stackName.endsWith('-Controller'))!;
  const functions = Object.values(controller.template.Resources as Record<string, { Type: string; Properties: { Handler?: string; Code: { S3Key: string } } }>).filter(
    (r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Handler?.startsWith('functions/'),
  );
  const bundles = await Promise.all(
    functions.map(async (fn) => {
      const entry = fn.Properties.Handler!.replace(/\.handler$/, '');
      const dir = join(assembly.directory, `asset.${fn.Properties.Code.S3Key.replace(/\.zip$/, '')}`);
      const file = join(dir, `${entry}.mjs`);
      return { handler: entry.split('/').pop()!, bytes: statSync(file).size, withoutSdk: await sizeWithoutSdk(`${entry}.ts`), file, dir };
    }),
  );
  return { bundles, dispose: () => rmSync(outdir, { recursive: true, force: true }) };
}

/** The options SST 2.49.8's Node.js runtime bundles with (sst/runtime/handlers/node.js), plus the stack's. */
async function sizeWithoutSdk(entry: string): Promise<number> {
  const out = await build({
    entryPoints: [resolve(import.meta.dirname, '..', entry)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'esnext',
    mainFields: ['module', 'main'],
    keepNames: true,
    minify: FUNCTION_BUNDLING.minify,
    plugins: [leanZod],
    external: ['@aws-sdk/*', '@smithy/*'],
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.contents.byteLength;
}

/** Cold module initialisation of a bundle, in fresh node processes run from its own directory, as in Lambda (median of `runs`). */
export function initTimeMs(bundle: { file: string; dir: string }, runs = 7): number {
  const probe = join(mkdtempSync(join(tmpdir(), 'scaler-init-')), 'probe.mjs');
  writeFileSync(probe, `const t=performance.now();await import(${JSON.stringify(bundle.file)});console.log(performance.now()-t);`);
  const env = { ...process.env, SCALER_CONFIG: 'scaler.config.json', SCALER_STATE_TABLE: 'bench', AWS_REGION: 'us-east-1' };
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const run = spawnSync(process.execPath, [probe], { encoding: 'utf8', env, cwd: bundle.dir });
    if (run.status !== 0) throw new Error(`importing ${bundle.file} failed: ${run.stderr}`);
    times.push(Number(run.stdout.trim()));
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

/** Warm invocations of the scheduled evaluation over two targets, every AWS call answered in-process. */
export async function warmLatency(invocations = 2000) {
  const aws = fakeAws();
  const rt = aws.runtime(exampleConfig());
  const event = JSON.parse(readFileSync(resolve(import.meta.dirname, '../controller/fixtures/scheduled-event.json'), 'utf8'));
  const samples = new Float64Array(invocations);
  for (let i = -200; i < invocations; i++) {
    // A new minute each time, so every invocation decides rather than being a duplicate.
    event.time = new Date(Date.UTC(2026, 10, 22, 10) + (i + 200) * 60_000).toISOString();
    aws.clock.now = Date.parse(event.time) / 1000;
    const start = performance.now();
    await runScheduled(event, rt, recordingLog());
    if (i >= 0) samples[i] = performance.now() - start;
  }
  aws.restore();
  return summarizeSamples(samples);
}
