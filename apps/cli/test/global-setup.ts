import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Several tests drive the real binary (dist/main.js). `pnpm test` builds it first (turbo);
 * a bare `vitest run` in a fresh checkout builds it here.
 */
export default function setup(): void {
  const packageDir = fileURLToPath(new URL('..', import.meta.url));
  if (!existsSync(`${packageDir}/dist/main.js`)) {
    execFileSync('pnpm', ['exec', 'tsup'], { cwd: packageDir, stdio: 'inherit' });
  }
}
