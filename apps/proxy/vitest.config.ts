import { defineConfig } from 'vitest/config';

export default defineConfig({
  // the status page is imported as text, as tsup's `text` loader does in the build
  plugins: [
    {
      name: 'html-as-text',
      enforce: 'pre',
      transform(code, id) {
        if (!id.endsWith('.html')) return null;
        return { code: `export default ${JSON.stringify(code)};`, map: null };
      },
    },
  ],
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
