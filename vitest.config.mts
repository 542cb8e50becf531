import { defineConfig } from 'vitest/config';

// forks (the default) keeps errors thrown by the addon in the test's own realm, so
// `toThrow(TypeError)` works; vmThreads would break that.
export default defineConfig({
  test: {
    pool: 'forks',
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
