import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/main.ts'],
  format: ['esm'],
  target: 'node20',
  dts: { entry: 'src/index.ts' },
  sourcemap: true,
  clean: true,
  // the status page is bundled as a string: nothing to copy, and the CLI bundle carries it too
  loader: { '.html': 'text' },
});
