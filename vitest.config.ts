import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['harness/**/*.test.ts', 'workloads/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests spawn real processes and measure real timing; keep the two cores from being oversubscribed.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
