import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/main.ts'],
  format: ['esm'],
  target: 'node20',
  sourcemap: true,
  clean: true,
  banner: { js: '#!/usr/bin/env node' },
  // the proxy is a private workspace app: bundle it so the published CLI does not need it at
  // runtime; its own dependencies stay external and are dependencies of the CLI
  noExternal: ['@qwen-relay/proxy'],
});
