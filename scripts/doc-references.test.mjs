import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { convertHeadingToAnchor, findDocReferenceProblems } from './doc-references.mjs';

const upstream = [
  '# Upstream',
  '## 1. OAuth',
  '### 1.4 Refresh grant',
  '### 1.6 The lock file',
  '```',
  '## 9. not a heading inside a fence',
  '```',
  'Rotation is in §1.4.',
].join('\n');

function problemsOf(files) {
  return findDocReferenceProblems({ files: new Map([['docs/upstream.md', upstream], ...files]) });
}

describe('findDocReferenceProblems', () => {
  it('accepts existing sections, ranges, RFC sections and in-document references', () => {
    const problems = problemsOf([
      ['src/a.ts', '// rotation (docs/upstream.md §1.4; RFC 8628 §3.4-3.5) and §1.6 too'],
      ['src/b.ts', '// docs/upstream.md §1.4–1.6'],
      ['README.md', 'See [docs/upstream.md §1.6](docs/upstream.md#16-the-lock-file).'],
    ]);
    assert.deepEqual(problems, []);
  });

  it('reports a section the document does not have', () => {
    const problems = problemsOf([['src/a.ts', '// docs/upstream.md §1.5']]);
    assert.deepEqual(problems, [
      { file: 'src/a.ts', line: 1, message: 'docs/upstream.md has no section §1.5' },
    ]);
  });

  it('does not take a heading inside a code fence for a section', () => {
    const problems = problemsOf([['src/a.ts', '// docs/upstream.md §9']]);
    assert.equal(problems.length, 1);
  });

  it('reports a missing document, a bare § and citations outside the repository', () => {
    const problems = problemsOf([
      ['src/a.ts', '// docs/missing.md §1\n// see §1.4\n// DESIGN.md §4\n// reference §2.6'],
    ]);
    assert.deepEqual(
      problems.map(({ line, message }) => `${line}: ${message.split(' ').slice(0, 3).join(' ')}`),
      [
        '1: cites docs/missing.md §1,',
        '2: §1.4 names no',
        '3: cites a design',
        '3: cites DESIGN.md §4,',
        '4: cites a reference',
        '4: §2.6 names no',
      ],
    );
  });

  it('reports a markdown link to a missing heading or file', () => {
    const problems = problemsOf([
      ['README.md', '[x](docs/upstream.md#2-chat) [y](docs/nothing.md)'],
    ]);
    assert.deepEqual(
      problems.map((problem) => problem.message),
      [
        'links to docs/upstream.md#2-chat, which has no such heading',
        'links to docs/nothing.md, which does not exist',
      ],
    );
  });
});

describe('convertHeadingToAnchor', () => {
  it('follows GitHub: numbers lose their dots, punctuation goes, spaces become hyphens', () => {
    assert.equal(
      convertHeadingToAnchor('2.6 Streaming response (SSE)'),
      '26-streaming-response-sse',
    );
    assert.equal(
      convertHeadingToAnchor('4. The request path (contract)'),
      '4-the-request-path-contract',
    );
    assert.equal(convertHeadingToAnchor('Errors: `code` table'), 'errors-code-table');
  });
});
