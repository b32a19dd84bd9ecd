import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // loopback servers on a busy 2-core CI machine: generous limits, never a perf assertion
    testTimeout: 30_000,
    hookTimeout: 30_000,
    server: {
      deps: {
        // the built proxy is loaded by Node itself, exactly as users run it (import.meta.resolve, workers)
        external: [/\/apps\/proxy\/dist\//],
      },
    },
  },
});
