// `pnpm lint:root`: fails when a published package's shipped source changed since the base
// without a changeset naming it. The base, first match wins:
//   1. CHANGESET_BASE (any git ref);
//   2. a pull request: GITHUB_BASE_REF (origin/<ref>, else <ref>);
//   3. a branch other than main, with main present: the merge base with main (helpers' worktrees);
//   4. otherwise (main itself, a fresh clone): each package's last release tag
//      `<name>@<version>` as `changeset tag` writes it; a package never released is skipped.
// The working tree counts, so uncommitted edits and new changeset files are seen too.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPackagesMissingChangesets, parseChangesetPackages } from './changesets.mjs';

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function git(...args) {
  return execFileSync('git', args, { cwd: repositoryRoot, encoding: 'utf8', stdio: 'pipe' }).trim();
}

function tryGit(...args) {
  try {
    return git(...args);
  } catch {
    return undefined;
  }
}

function findPublishedPackages() {
  const packages = [];
  for (const parent of ['packages', 'apps']) {
    const parentPath = path.join(repositoryRoot, parent);
    if (!existsSync(parentPath)) continue;
    for (const entry of readdirSync(parentPath, { withFileTypes: true })) {
      const manifestPath = path.join(parentPath, entry.name, 'package.json');
      if (!entry.isDirectory() || !existsSync(manifestPath)) continue;
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
      if (manifest.private === true) continue;
      packages.push({
        name: manifest.name,
        version: manifest.version,
        directory: `${parent}/${entry.name}`,
      });
    }
  }
  return packages;
}

function resolveSharedBase() {
  const fromEnvironment = process.env.CHANGESET_BASE;
  if (fromEnvironment) return { ref: fromEnvironment, why: 'CHANGESET_BASE' };
  const pullRequestBase = process.env.GITHUB_BASE_REF;
  if (pullRequestBase) {
    for (const ref of [`origin/${pullRequestBase}`, pullRequestBase]) {
      if (tryGit('rev-parse', '--verify', '--quiet', ref)) return { ref, why: 'pull request base' };
    }
  }
  const branch = tryGit('rev-parse', '--abbrev-ref', 'HEAD');
  if (branch && branch !== 'HEAD' && branch !== 'main') {
    for (const ref of ['main', 'origin/main']) {
      if (tryGit('rev-parse', '--verify', '--quiet', ref)) return { ref, why: `branch ${branch}` };
    }
  }
  return undefined;
}

/** Files changed between the merge base of `ref` and HEAD, plus uncommitted edits. */
function listChangedFiles(ref) {
  const base = git('merge-base', ref, 'HEAD');
  const changed = git('diff', '--name-only', base).split('\n').filter(Boolean);
  const untracked = git('ls-files', '--others', '--exclude-standard').split('\n').filter(Boolean);
  return { base, files: [...new Set([...changed, ...untracked])] };
}

/** Changesets on disk that are new or edited since `base` (all of them when `base` is absent). */
function listChangesets({ base }) {
  const directory = path.join(repositoryRoot, '.changeset');
  if (!existsSync(directory)) return [];
  return readdirSync(directory)
    .filter((name) => name.endsWith('.md') && name !== 'README.md')
    .map((name) => `.changeset/${name}`)
    .filter((file) => {
      if (!base) return true;
      const before = tryGit('show', `${base}:${file}`);
      return (
        before === undefined ||
        before !== readFileSync(path.join(repositoryRoot, file), 'utf8').trim()
      );
    })
    .map((file) => ({
      file,
      packageNames:
        parseChangesetPackages(readFileSync(path.join(repositoryRoot, file), 'utf8')) ?? [],
    }));
}

if (!tryGit('rev-parse', '--git-dir')) {
  console.log('changesets: not a git checkout, nothing to compare');
  process.exit(0);
}

const publishedPackages = findPublishedPackages();
const sharedBase = resolveSharedBase();
const missing = [];
if (sharedBase) {
  const { base, files } = listChangedFiles(sharedBase.ref);
  missing.push(
    ...findPackagesMissingChangesets({
      changedFiles: files,
      publishedPackages,
      changesets: listChangesets({ base }),
    }),
  );
  console.log(`changesets: compared with ${sharedBase.ref} (${sharedBase.why})`);
} else {
  const pending = listChangesets({ base: undefined });
  for (const published of publishedPackages) {
    const tag = `${published.name}@${published.version}`;
    if (!tryGit('rev-parse', '--verify', '--quiet', `refs/tags/${tag}`)) {
      console.log(`changesets: ${published.name} has no release tag ${tag} yet, skipped`);
      continue;
    }
    const { files } = listChangedFiles(`refs/tags/${tag}`);
    missing.push(
      ...findPackagesMissingChangesets({
        changedFiles: files,
        publishedPackages: [published],
        changesets: pending,
      }),
    );
  }
}

for (const { name, changedFiles } of missing) {
  console.error(`${name}: source changed without a changeset naming it:`);
  for (const file of changedFiles.slice(0, 10)) console.error(`  ${file}`);
}
if (missing.length > 0) {
  console.error('add .changeset/<short-name>.md (see CONTRIBUTING.md, "Changesets")');
  process.exit(1);
}
