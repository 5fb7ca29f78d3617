import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { Plugin } from 'esbuild';
import type { NodeJSProps } from 'sst/constructs';

const require = createRequire(import.meta.url);

/**
 * zod re-exports every locale it ships (`z.locales`, about 250 KiB minified) and esbuild cannot drop a
 * namespace re-export. The controller's messages are English and its own, so only English is bundled,
 * the locale zod configures by default.
 */
export const englishOnlyZod: Plugin = {
  name: 'zod-english-only',
  setup(build) {
    const english = require.resolve('zod/v4/locales/en.js');
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/]/.test(args.importer) ? { path: 'locales', namespace: 'zod-english-only' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, () => ({ contents: "export { default as en } from './en.js';", loader: 'js', resolveDir: dirname(english) }));
  },
};

/** How the stack bundles every controller function (SST adds ESM, esnext, keepNames and module-first resolution). */
export const FUNCTION_BUNDLING = {
  format: 'esm',
  minify: true,
  sourcemap: false,
  // SST types its options with the esbuild it ships; the plugin API is the same.
  esbuild: { plugins: [englishOnlyZod as unknown as NonNullable<NonNullable<NodeJSProps['esbuild']>['plugins']>[number]] },
} satisfies NodeJSProps;
