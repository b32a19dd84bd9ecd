// `pnpm lint:root`: the graph in ARCHITECTURE.md is the graph the imports make (see
// scripts/architecture-graph.mjs). Shipped source only: `src/`, tests excluded.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  findGraphProblems,
  listWorkspaceImports,
  normalizePackageName,
  parseDrawnGraph,
} from './architecture-graph.mjs';

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function* walkSource(directory) {
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const entryPath = path.join(directory, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== '__fixtures__') yield* walkSource(entryPath);
    } else if (/\.(?:ts|mts|js|mjs)$/.test(entry.name) && !/\.test\.[mc]?[jt]s$/.test(entry.name)) {
      yield entryPath;
    }
  }
}

const imported = new Map();
for (const parent of ['apps', 'packages']) {
  for (const entry of readdirSync(path.join(repositoryRoot, parent), { withFileTypes: true })) {
    const sourceDirectory = path.join(repositoryRoot, parent, entry.name, 'src');
    if (!entry.isDirectory() || !existsSync(sourceDirectory)) continue;
    const name = normalizePackageName(`${parent}/${entry.name}`);
    const targets = new Set();
    for (const file of walkSource(sourceDirectory)) {
      for (const target of listWorkspaceImports(readFileSync(file, 'utf8'))) targets.add(target);
    }
    imported.set(name, targets);
  }
}

const drawn = parseDrawnGraph(readFileSync(path.join(repositoryRoot, 'ARCHITECTURE.md'), 'utf8'));
const problems = findGraphProblems({ drawn, imported });
for (const problem of problems) console.error(`ARCHITECTURE.md: ${problem}`);
if (problems.length > 0) {
  console.error(`${problems.length} difference(s) between the drawn graph and the imports`);
  process.exit(1);
}
console.log(
  `architecture graph: ${imported.size} packages, every import drawn and every arrow imported`,
);
