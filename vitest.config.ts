import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'test'],
    // Real processes and a real redis-server: leave room on a noisy 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
