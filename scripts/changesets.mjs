// Which published packages changed without a changeset. Pure: scripts/check-changesets.mjs gathers
// the changed files and the changesets from git.

/** The package names a changeset file releases (its frontmatter); empty for an empty changeset. */
export function parseChangesetPackages(text) {
  const frontmatter = /^---\r?\n([\s\S]*?)\r?\n?---/.exec(text);
  if (!frontmatter) return undefined;
  return [
    ...frontmatter[1].matchAll(/^\s*["']?([^"':\s]+)["']?\s*:\s*(major|minor|patch)\s*$/gm),
  ].map((match) => match[1]);
}

/** Does a changed path ship in a published package (its `src/`, tests and fixtures excluded)? */
export function isPublishedSourcePath({ filePath, packageDirectory }) {
  if (!filePath.startsWith(`${packageDirectory}/src/`)) return false;
  return !/\.test\.[cm]?[jt]sx?$|\/__fixtures__\/|\/test-support\//.test(filePath);
}

/**
 * Published packages whose shipped source changed with no changeset naming them.
 * `changesets` are those added or edited since the base; an empty changeset (no packages) says
 * on purpose that nothing needs a release.
 */
export function findPackagesMissingChangesets({ changedFiles, publishedPackages, changesets }) {
  if (changesets.some((changeset) => changeset.packageNames.length === 0)) return [];
  const named = new Set(changesets.flatMap((changeset) => changeset.packageNames));
  return publishedPackages
    .map(({ name, directory }) => ({
      name,
      changedFiles: changedFiles.filter((filePath) =>
        isPublishedSourcePath({ filePath, packageDirectory: directory }),
      ),
    }))
    .filter((entry) => entry.changedFiles.length > 0 && !named.has(entry.name));
}
