import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // loopback servers on a busy 2-core CI machine: generous limits, never a perf assertion
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
