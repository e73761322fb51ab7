import { defineConfig } from 'vitest/config';

/**
 * Test files that change state every module of the process shares (the grader registry, the
 * secrets and URL secrets to redact, process.env): they run in a fresh module graph each.
 */
const changesSharedState = [
  'test/graders/suiteGraders.test.ts', // registers a test grader (shippedSchema lists every grader)
  'test/util/redactUrl.test.ts', // registers URL secrets: their values are redacted everywhere after
  'test/fuzz/urlRedaction.test.ts', // registers hundreds of random URL secrets
  'test/reporters/html.test.ts', // registers, then clears, the secrets
  'test/graders/judgeRun.test.ts', // sets process.env.FAKE_KEY
  'test/results/liveOutcomes.test.ts', // registers, then clears, a secret
  'test/results/resultsWriterSecrets.test.ts', // registers, then clears, two secrets
];

export default defineConfig({
  test: {
    setupFiles: ['test/fastCheckSeed.ts'],
    // Bundles report.html's client once per run (scripts/build-client.mjs).
    globalSetup: ['test/buildClient.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Most test time is spent waiting on spawned CLIs and local servers, not on this process's
    // CPU: three workers overlap that waiting on a 2-core machine (Vitest would use one).
    maxWorkers: 3,
    projects: [
      {
        extends: true,
        // A worker runs file after file in one module graph: importing src/ and the SDKs once
        // per worker instead of once per file halves the unit tests' CPU time.
        test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: changesSharedState, isolate: false },
      },
      { extends: true, test: { name: 'isolated', include: changesSharedState, isolate: true } },
    ],
  },
});
