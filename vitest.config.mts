import { defineConfig } from 'vitest/config';

// Three projects: fast unit/property/simulator tests in parallel; real
// clusters, processes and servers one file at a time; browser tests against
// the built renderer, one chromium at a time (DESIGN §6).
export default defineConfig({
  test: {
    globalSetup: ['test/setup/global-nats.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.serial.test.ts', 'test/e2e/**'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'serial',
          include: ['test/**/*.serial.test.ts'],
          exclude: ['test/e2e/**'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
