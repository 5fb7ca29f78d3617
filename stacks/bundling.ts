import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { Plugin } from 'esbuild';
import type { NodeJSProps } from 'sst/constructs';

const require = createRequire(import.meta.url);

/** What replaces a part of zod the controller never calls: its exports, each throwing if it ever were. */
const UNUSED_ZOD_PARTS: Record<string, string> = {
  // `z.compile`, zod's opt-in compiled parser (about 30 KiB minified); the runtime parser never reaches it.
  'core/compile.js': `export const INVALID = Symbol.for('zod.compile.invalid');
export class ZodCompileAsyncError extends Error {}
export class ZodCompileUnsupportedError extends Error {}
export const compile = unbundled('z.compile');
export const withParser = unbundled('withParser');
export const compileFn = unbundled('compileFn');`,
  // `z.fromJSONSchema` (about 12 KiB): the controller's schemas are zod's own.
  'classic/from-json-schema.js': `export const fromJSONSchema = unbundled('z.fromJSONSchema');`,
};
const UNBUNDLED = "const unbundled = (what) => () => { throw new Error(what + ' is not bundled with the controller (stacks/bundling.ts)'); };\n";

/**
 * zod re-exports every locale it ships (`z.locales`, about 250 KiB minified), `z.compile` and
 * `z.fromJSONSchema`, and esbuild cannot drop a namespace re-export. The controller's messages are English
 * and its own, the locale zod configures by default, and it calls neither of the others: only English is
 * bundled, and the two are left out.
 */
export const leanZod: Plugin = {
  name: 'zod-lean',
  setup(build) {
    const english = require.resolve('zod/v4/locales/en.js');
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/]/.test(args.importer) ? { path: 'locales', namespace: 'zod-lean' } : undefined,
    );
    build.onResolve({ filter: /^\.\/(compile|from-json-schema)\.js$/ }, (args) => {
      const part = `${args.importer.replace(/\\/g, '/').split('/zod/v4/')[1]?.split('/')[0]}/${args.path.slice(2)}`;
      return part in UNUSED_ZOD_PARTS ? { path: part, namespace: 'zod-lean' } : undefined;
    });
    build.onLoad({ filter: /.*/, namespace: 'zod-lean' }, (args) =>
      args.path === 'locales'
        ? { contents: "export { default as en } from './en.js';", loader: 'js', resolveDir: dirname(english) }
        : { contents: UNBUNDLED + UNUSED_ZOD_PARTS[args.path]!, loader: 'js' },
    );
  },
};

/** How the stack bundles every controller function (SST adds ESM, esnext, keepNames and module-first resolution). */
export const FUNCTION_BUNDLING = {
  format: 'esm',
  minify: true,
  sourcemap: false,
  // SST types its options with the esbuild it ships; the plugin API is the same.
  esbuild: { plugins: [leanZod as unknown as NonNullable<NonNullable<NodeJSProps['esbuild']>['plugins']>[number]] },
} satisfies NodeJSProps;
