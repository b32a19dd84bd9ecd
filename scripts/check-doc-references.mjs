// `pnpm lint:root`: fails when code or documentation cites a `docs/…` section or a markdown
// anchor that does not exist, a `§` without its document, or a document outside the repository.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findDocReferenceProblems } from './doc-references.mjs';

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SKIPPED_DIRECTORIES = new Set([
  'node_modules',
  'dist',
  '.git',
  '.turbo',
  'coverage',
  'results',
]);
const CHECKED_EXTENSIONS = new Set([
  '.ts',
  '.mts',
  '.cts',
  '.js',
  '.mjs',
  '.cjs',
  '.md',
  '.json',
  '.yml',
  '.yaml',
]);

function* walk(directory) {
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) yield* walk(path.join(directory, entry.name));
    } else if (CHECKED_EXTENSIONS.has(path.extname(entry.name))) {
      yield path.join(directory, entry.name);
    }
  }
}

const files = new Map();
for (const absolutePath of walk(repositoryRoot)) {
  const relativePath = path.relative(repositoryRoot, absolutePath).split(path.sep).join('/');
  // the checker's own test cites broken references on purpose
  if (relativePath === 'pnpm-lock.yaml' || relativePath === 'scripts/doc-references.test.mjs') {
    continue;
  }
  files.set(relativePath, readFileSync(absolutePath, 'utf8'));
}

const problems = findDocReferenceProblems({ files });
for (const { file, line, message } of problems) console.error(`${file}:${line}: ${message}`);
if (problems.length > 0) {
  console.error(`${problems.length} broken documentation reference(s); see CONTRIBUTING.md`);
  process.exit(1);
}
console.log(`documentation references: ${files.size} files checked, all resolve`);
