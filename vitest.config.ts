import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The SDK's multi-line notice about its future Node 22 floor would bury test output on Node 20.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/integration/**', 'test/bench/**', 'test/package/**', 'node_modules/**'],
          testTimeout: 30_000,
        },
      },
      {
        // The benchmark's own code (budgets, checks, model, parsers): `npm test` runs it, the unit run does not.
        test: {
          name: 'bench',
          include: ['test/bench/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/integration/moto-global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          // Packs the repository and installs the tarball with npm (from its cache, else the registry).
          name: 'package',
          include: ['test/package/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
