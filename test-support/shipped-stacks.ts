import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

/**
 * vitest globalSetup: synthesizes the app on the shipped configuration once for the whole run (SST
 * bundles the functions, cdk-nag checks every stack), so each stack test reads the same assembly.
 */
export default async function synthesizeShippedStacks(project: TestProject): Promise<() => void> {
  process.env.NODE_ENV = 'test'; // SST skips its AWS bootstrap lookup only under test
  const { synthesizeAssembly } = await import('../stacks/testing');
  const dir = mkdtempSync(join(tmpdir(), 'scaler-shipped-'));
  await synthesizeAssembly({ outdir: dir });
  project.provide('shippedAssembly', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
