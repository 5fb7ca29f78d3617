import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { exampleConfig, fakeAws, recordingLog } from '../functions/testing';
import { runScheduled } from '../functions/handlers/scheduled';
import { summarizeSamples } from '../chat/load/stats';

const HANDLERS = ['scheduled', 'alarm', 'forecast', 'lifecycle'] as const;

/**
 * Each handler bundled as Lambda would run it: minified, ESM, Node 20. With `sdkExternal`, the AWS SDK
 * is left to the Lambda runtime's own copy (smaller, but its version is then the runtime's, not ours).
 */
export async function bundleHandlers(sdkExternal = false): Promise<Array<{ handler: string; bytes: number; file: string }>> {
  const out = mkdtempSync(join(tmpdir(), 'scaler-bundle-'));
  const results = [];
  for (const name of HANDLERS) {
    const file = join(out, `${name}.mjs`);
    await build({
      external: sdkExternal ? ['@aws-sdk/*', '@smithy/*'] : [],
      entryPoints: [resolve(import.meta.dirname, `../functions/handlers/${name}.ts`)],
      bundle: true,
      minify: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      outfile: file,
      logLevel: 'silent',
      // esbuild's ESM output needs a require for the few CommonJS dependencies it inlines.
      banner: { js: "import{createRequire as __cr}from'module';const require=__cr(import.meta.url);" },
    });
    results.push({ handler: name, bytes: statSync(file).size, file });
  }
  return results;
}

/** Cold module initialisation of a bundle, in fresh node processes (median of `runs`). */
export function initTimeMs(file: string, runs = 7): number {
  const probe = join(mkdtempSync(join(tmpdir(), 'scaler-init-')), 'probe.mjs');
  writeFileSync(probe, `const t=performance.now();await import(${JSON.stringify(file)});console.log(performance.now()-t);`);
  const env = { ...process.env, SCALER_CONFIG: resolve(import.meta.dirname, '../scaler.config.json'), SCALER_STATE_TABLE: 'bench', AWS_REGION: 'us-east-1' };
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const run = spawnSync(process.execPath, [probe], { encoding: 'utf8', env });
    if (run.status !== 0) throw new Error(`importing ${file} failed: ${run.stderr}`);
    times.push(Number(run.stdout.trim()));
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

/** Warm invocations of the scheduled evaluation over two targets, every AWS call answered in-process. */
export async function warmLatency(invocations = 2000) {
  const aws = fakeAws();
  const rt = aws.runtime(exampleConfig());
  const event = JSON.parse(readFileSync(resolve(import.meta.dirname, '../functions/fixtures/scheduled-event.json'), 'utf8'));
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
