import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
    files: ['core/**/*.ts'],
    ignores: ['core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['@aws-sdk/*', 'socket.io*', 'ioredis', 'sst', 'sst/*', 'node:*', 'fs', 'child_process'] },
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
