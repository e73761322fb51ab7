import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/fastCheckSeed.ts'],
    // Bundles report.html's client once per run (scripts/build-client.mjs).
    globalSetup: ['test/buildClient.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Most test time is spent waiting on spawned CLIs and local servers, not on this process's
    // CPU: three workers overlap that waiting on a 2-core machine (Vitest would use one).
    maxWorkers: 3,
  },
});
