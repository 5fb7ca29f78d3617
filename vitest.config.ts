import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', '.sst/**', 'cdk.out/**'],
    reporters: ['default', './test-support/summary-reporter.ts'],
    // Real redis-server and Chromium: installed here on first run, or a clear failure saying how.
    globalSetup: ['./test-support/prerequisites.ts', './test-support/shipped-stacks.ts'],
    // Stack synthesis and real processes take seconds, not milliseconds.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
