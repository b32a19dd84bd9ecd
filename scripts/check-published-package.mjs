// `pnpm lint:package` inside a published package: packs it the way `pnpm publish` would (workspace
// versions resolved), then runs publint and are-the-types-wrong on that tarball. Offline: both
// read only the tarball. Needs the package's dist (turbo runs `build` first).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const packageDirectory = process.cwd();
const packDirectory = mkdtempSync(path.join(tmpdir(), 'qwen-relay-pack-'));

function run(command, args, options = {}) {
  execFileSync(command, args, { stdio: 'inherit', ...options });
}

try {
  run('pnpm', ['pack', '--pack-destination', packDirectory], {
    cwd: packageDirectory,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const [tarball] = readdirSync(packDirectory).filter((name) => name.endsWith('.tgz'));
  if (!tarball) throw new Error(`pnpm pack wrote no tarball for ${packageDirectory}`);
  const tarballPath = path.join(packDirectory, tarball);
  // binaries of the root devDependencies
  run('pnpm', ['exec', 'publint', 'run', tarballPath, '--strict'], { cwd: repositoryRoot });
  // ESM-only packages: the CommonJS `require` resolution is not a goal
  run('pnpm', ['exec', 'attw', tarballPath, '--profile', 'esm-only'], {
    cwd: repositoryRoot,
  });
} finally {
  rmSync(packDirectory, { recursive: true, force: true });
}
