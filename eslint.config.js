import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The rooms around the engine, which core/ never imports. */
const OUTSIDE_CORE = ['**/backtest', '**/backtest/*', '**/bench/*', '**/cli/*', '**/functions/*', '**/chat/*', '**/local/*', '**/stacks/*', '**/contract/*'];

export default tseslint.config(
  { ignores: ['node_modules/**', '.sst/**', 'cdk.out/**', 'coverage/**', 'bench/results/**', 'scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The chat page's script runs in the browser, as plain JavaScript.
    files: ['chat/public/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: { document: 'readonly', location: 'readonly', URLSearchParams: 'readonly', setTimeout: 'readonly', io: 'readonly' },
    },
  },
  {
    // The backtest report's charts run in the browser, on the uPlot the report inlines.
    files: ['backtest/report-page/**/*.js', 'local/dashboard-page/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: { document: 'readonly', window: 'readonly', devicePixelRatio: 'readonly', uPlot: 'readonly', EventSource: 'readonly' },
    },
  },
  {
    // The engine is the product's centre: nothing it runs reaches the lab, the adapters or the apps around it.
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: OUTSIDE_CORE, message: 'core/ imports nothing outside core/' }] }],
    },
  },
  {
    // Every other room uses the engine as a user would: through core/index.ts (core/testing for tests).
    files: ['{backtest,bench,chat,cli,contract,functions,local,stacks,test-support}/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/core/*', '!**/core/index', '!**/core/testing'], message: 'import core through its index (core/index.ts)' }] }],
    },
  },
  {
    files: ['core/**/*.ts'],
    ignores: ['core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: OUTSIDE_CORE, message: 'core/ imports nothing outside core/' },
            { group: ['@aws-sdk/*', 'socket.io*', 'ioredis', 'sst', 'sst/*', 'node:*', 'fs', 'child_process'], message: 'core/ is pure: no AWS, no network, no file system' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'core/ takes configuration as input, never from the environment' }],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'core/ takes `now` as input; it never reads the clock' },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'core/ takes `now` as input; it never reads the clock' },
      ],
    },
  },
);
