// `pnpm lint:root`: every workspace package is MIT-licensed, and every published (non-private)
// package ships the LICENSE file and runs publint + are-the-types-wrong (`lint:package`).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const workspacePatterns = readFileSync(path.join(repositoryRoot, 'pnpm-workspace.yaml'), 'utf8')
  .split('\n')
  .map((line) => /^\s+-\s+['"]?([^'"\s]+)['"]?\s*$/.exec(line)?.[1])
  .filter((pattern) => pattern !== undefined);

const packageDirectories = ['.'];
for (const pattern of workspacePatterns) {
  if (pattern.endsWith('/*')) {
    const parent = path.join(repositoryRoot, pattern.slice(0, -2));
    for (const entry of readdirSync(parent, { withFileTypes: true })) {
      if (entry.isDirectory()) packageDirectories.push(path.join(pattern.slice(0, -2), entry.name));
    }
  } else {
    packageDirectories.push(pattern);
  }
}

const problems = [];
for (const directory of packageDirectories) {
  const manifestPath = path.join(repositoryRoot, directory, 'package.json');
  if (!existsSync(manifestPath)) continue;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const where = `${directory}/package.json`;
  if (manifest.license !== 'MIT') problems.push(`${where}: "license" must be "MIT"`);
  if (manifest.private === true) continue;
  if (manifest.scripts?.['lint:package'] !== 'node ../../scripts/check-published-package.mjs') {
    problems.push(
      `${where}: a published package needs "lint:package": "node ../../scripts/check-published-package.mjs"`,
    );
  }
  if (!existsSync(path.join(repositoryRoot, directory, 'LICENSE'))) {
    problems.push(`${directory}: a published package needs a copy of the root LICENSE`);
  }
}

for (const problem of problems) console.error(problem);
if (problems.length > 0) process.exit(1);
console.log(`package manifests: ${packageDirectories.length} checked`);
