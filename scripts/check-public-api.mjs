// `pnpm lint:root`: every workspace package with a `src/index.ts` lists exactly its exports in
// the `## Public API` section of its README, on one screen (see scripts/public-api.mjs).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPublicApiProblems } from './public-api.mjs';

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const problems = [];
let checked = 0;
for (const parent of ['packages', 'apps']) {
  for (const entry of readdirSync(path.join(repositoryRoot, parent), { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const directory = path.join(parent, entry.name);
    const entryPath = path.join(repositoryRoot, directory, 'src', 'index.ts');
    if (!existsSync(entryPath)) continue;
    const readmePath = path.join(repositoryRoot, directory, 'README.md');
    const readme = existsSync(readmePath) ? readFileSync(readmePath, 'utf8') : '';
    checked += 1;
    for (const problem of findPublicApiProblems({
      readme,
      entrySource: readFileSync(entryPath, 'utf8'),
    })) {
      problems.push(`${directory}/${problem}`);
    }
  }
}
for (const problem of problems) console.error(problem);
if (problems.length > 0) {
  console.error(`${problems.length} public API listing problem(s); see CONTRIBUTING.md`);
  process.exit(1);
}
console.log(`public API listings: ${checked} packages checked, each matches its src/index.ts`);
