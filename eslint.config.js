import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The rooms around the engine, which core/ never imports. */
const OUTSIDE_CORE = ['**/backtest', '**/backtest/*', '**/bench/*', '**/cli/*', '**/functions/*', '**/chat/*', '**/local/*', '**/stacks/*', '**/contract/*', '**/sim', '**/sim/*', '**/controller', '**/controller/*', '**/aws', '**/aws/*', '**/kinds', '**/kinds/*', '**/metric-sources', '**/metric-sources/*', '**/keda', '**/keda/*'];
/** Rooms with a front door: others import them through their index. */
const THROUGH_INDEXES = [
  { group: ['**/core/*', '!**/core/index', '!**/core/testing'], message: 'import core through its index (core/index.ts)' },
  { group: ['**/sim/*', '!**/sim/index'], message: 'import sim through its index (sim/index.ts)' },
  { group: ['**/controller/*', '!**/controller/index'], message: 'import the controller through its index (controller/index.ts)' },
  { group: ['**/aws/*', '!**/aws/index', '!**/aws/testing'], message: 'import the AWS room through its index (aws/index.ts)' },
  { group: ['**/metric-sources/*', '!**/metric-sources/index'], message: 'import the metric sources through their index (metric-sources/index.ts)' },
  { group: ['**/keda/*', '!**/keda/index'], message: 'import the KEDA room through its index (keda/index.ts)' },
];
/** The lab, which no production room imports: what runs in production has a room of its own. */
const LAB = { group: ['**/backtest', '**/backtest/*', '**/bench', '**/bench/*'], message: 'production code never imports the lab (backtest/, bench/): move what it needs into sim/' };
const PRODUCTION = ['sim', 'controller', 'aws', 'kinds', 'metric-sources', 'keda', 'functions', 'chat', 'local', 'stacks', 'contract'];
/** What a pure room imports: nothing with I/O. */
const IMPURE = { group: ['@aws-sdk/*', 'socket.io*', 'ioredis', 'sst', 'sst/*', 'node:*', 'fs', 'child_process'], message: 'a pure room: no AWS, no network, no file system' };
const NO_CLOCK = [
  { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'a pure room takes `now` as input; it never reads the clock' },
  { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'a pure room takes `now` as input; it never reads the clock' },
];

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
    files: ['{aws,backtest,bench,chat,cli,contract,controller,functions,kinds,local,stacks,test-support}/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...THROUGH_INDEXES] }],
    },
  },
  {
    // Production rooms: core through its index, and never the lab.
    files: PRODUCTION.map((room) => `${room}/**/*.ts`),
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...THROUGH_INDEXES, LAB] }],
    },
  },
  {
    // The simulation room runs in production (the daily re-tuning) and is pure, like core/.
    files: ['sim/**/*.ts'],
    ignores: ['sim/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...THROUGH_INDEXES, LAB, IMPURE] }],
      'no-restricted-globals': ['error', { name: 'process', message: 'sim/ takes configuration as input, never from the environment' }],
      'no-restricted-syntax': ['error', ...NO_CLOCK],
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
            IMPURE,
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'core/ takes configuration as input, never from the environment' }],
      'no-restricted-syntax': ['error', ...NO_CLOCK],
    },
  },
);
