import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  findPackagesMissingChangesets,
  isPublishedSourcePath,
  parseChangesetPackages,
} from './changesets.mjs';

const publishedPackages = [
  { name: '@qwen-relay/qwen-client', directory: 'packages/qwen-client' },
  { name: '@qwen-relay/cli', directory: 'apps/cli' },
];

describe('parseChangesetPackages', () => {
  it('reads the package names of the frontmatter, quoted or not', () => {
    const text = `---\n"@qwen-relay/qwen-client": minor\n'@qwen-relay/cli': patch\n---\n\nText: major\n`;
    assert.deepEqual(parseChangesetPackages(text), ['@qwen-relay/qwen-client', '@qwen-relay/cli']);
  });

  it('gives an empty list for an empty changeset and nothing for a file without frontmatter', () => {
    assert.deepEqual(parseChangesetPackages('---\n---\n\nno release\n'), []);
    assert.equal(parseChangesetPackages('# README\n'), undefined);
  });
});

describe('isPublishedSourcePath', () => {
  it('counts shipped source only', () => {
    const packageDirectory = 'packages/qwen-client';
    const check = (filePath) => isPublishedSourcePath({ filePath, packageDirectory });
    assert.equal(check('packages/qwen-client/src/retry/parse-retry-after.ts'), true);
    assert.equal(check('packages/qwen-client/src/retry/parse-retry-after.test.ts'), false);
    assert.equal(check('packages/qwen-client/src/stream/x.property.test.ts'), false);
    assert.equal(check('packages/qwen-client/test/auth-retry.test.ts'), false);
    assert.equal(check('packages/qwen-client/README.md'), false);
    assert.equal(check('packages/qwen-client-extra/src/index.ts'), false);
  });
});

describe('findPackagesMissingChangesets', () => {
  const changedFiles = [
    'packages/qwen-client/src/index.ts',
    'apps/cli/src/main.ts',
    'docs/design.md',
  ];

  it('names each changed package without a changeset', () => {
    const missing = findPackagesMissingChangesets({
      changedFiles,
      publishedPackages,
      changesets: [{ file: '.changeset/a.md', packageNames: ['@qwen-relay/cli'] }],
    });
    assert.deepEqual(missing, [
      { name: '@qwen-relay/qwen-client', changedFiles: ['packages/qwen-client/src/index.ts'] },
    ]);
  });

  it('is satisfied by changesets naming every changed package, or by an empty changeset', () => {
    const named = [{ file: '.changeset/a.md', packageNames: publishedPackages.map((p) => p.name) }];
    assert.deepEqual(
      findPackagesMissingChangesets({ changedFiles, publishedPackages, changesets: named }),
      [],
    );
    const empty = [{ file: '.changeset/b.md', packageNames: [] }];
    assert.deepEqual(
      findPackagesMissingChangesets({ changedFiles, publishedPackages, changesets: empty }),
      [],
    );
  });

  it('ignores changes outside published source', () => {
    const missing = findPackagesMissingChangesets({
      changedFiles: ['apps/cli/test/serve.test.ts', 'packages/qwen-client/README.md'],
      publishedPackages,
      changesets: [],
    });
    assert.deepEqual(missing, []);
  });
});
