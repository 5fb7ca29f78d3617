import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import type { z as zod } from 'zod';
import { afterAll, describe, expect, it } from 'vitest';
import { leanZod } from './bundling';

describe('the functions bundle a lean zod', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lean-zod-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const bundle = async (plugins: Parameters<typeof build>[0]['plugins']) => {
    const entry = join(dir, 'entry.mjs');
    writeFileSync(entry, "export { z } from 'zod';");
    const out = await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', minify: true, write: false, logLevel: 'silent', plugins, nodePaths: [resolve(import.meta.dirname, '../node_modules')] });
    const file = join(dir, `bundle-${plugins?.length ?? 0}.mjs`);
    writeFileSync(file, out.outputFiles[0]!.contents);
    return { bytes: out.outputFiles[0]!.contents.byteLength, z: ((await import(pathToFileURL(file).href)) as { z: typeof zod }).z };
  };

  it('parses and reports in English as zod does, smaller by the parts the controller never calls, which throw if called', async () => {
    const [full, lean] = [await bundle([]), await bundle([leanZod])];
    expect(full.bytes - lean.bytes).toBeGreaterThan(200 * 1024);
    const schema = lean.z.strictObject({ name: lean.z.string().min(1), size: lean.z.number().int() });
    expect(schema.parse({ name: 'chat', size: 3 })).toEqual({ name: 'chat', size: 3 });
    expect(schema.safeParse({ name: '', size: 1.5, extra: 1 }).error?.issues.map((i) => i.message)).toEqual(
      full.z.strictObject({ name: full.z.string().min(1), size: full.z.number().int() }).safeParse({ name: '', size: 1.5, extra: 1 }).error?.issues.map((i) => i.message),
    );
    expect(() => lean.z.compile(schema)).toThrow('z.compile is not bundled with the controller');
    expect(() => lean.z.fromJSONSchema({ type: 'string' })).toThrow('z.fromJSONSchema is not bundled with the controller');
  });
});
