import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  findGraphProblems,
  listWorkspaceImports,
  normalizePackageName,
  parseDrawnGraph,
} from './architecture-graph.mjs';

const architecture = [
  '# Architecture',
  '',
  '```',
  'apps/cli ──────┬──▶ apps/proxy (bundled; a note that',
  '               │    wraps onto a second line)',
  '               └──▶ @qwen-relay/contracts',
  '@qwen-relay/qwen-client ──▶ @qwen-relay/contracts (and its ./node)',
  '@qwen-relay/contracts: imports nothing',
  'packages/fake-qwen (private): imports no package',
  '```',
  '',
  '```',
  'apps/cli ──▶ @qwen-relay/never-read (only the first block is the graph)',
  '```',
].join('\n');

const graphOf = (entries) => new Map(entries.map(([name, targets]) => [name, new Set(targets)]));

describe('parseDrawnGraph', () => {
  it('reads arrows, continuation lines, packages without arrows, and only the first block', () => {
    assert.deepEqual(
      parseDrawnGraph(architecture),
      graphOf([
        ['@qwen-relay/cli', ['@qwen-relay/proxy', '@qwen-relay/contracts']],
        ['@qwen-relay/qwen-client', ['@qwen-relay/contracts']],
        ['@qwen-relay/contracts', []],
        ['@qwen-relay/fake-qwen', []],
      ]),
    );
  });
});

describe('listWorkspaceImports and normalizePackageName', () => {
  it('folds subpaths into their package and sees type, side-effect and dynamic imports', () => {
    const source = [
      "import { a } from '@qwen-relay/token-manager/internal';",
      "import type { B } from '@qwen-relay/contracts';",
      "import '@qwen-relay/state-store';",
      "const c = await import('@qwen-relay/openai-adapter/sse-transform-task');",
      "import { d } from 'undici';",
    ].join('\n');
    assert.deepEqual([...listWorkspaceImports(source)].sort(), [
      '@qwen-relay/contracts',
      '@qwen-relay/openai-adapter',
      '@qwen-relay/state-store',
      '@qwen-relay/token-manager',
    ]);
    assert.equal(normalizePackageName('apps/proxy (private)'), '@qwen-relay/proxy');
    assert.equal(normalizePackageName('  (a note)'), undefined);
  });
});

describe('findGraphProblems', () => {
  const drawn = graphOf([
    ['@qwen-relay/cli', ['@qwen-relay/proxy', '@qwen-relay/contracts']],
    ['@qwen-relay/contracts', []],
  ]);

  it('accepts a graph that matches the imports (a package importing itself is no arrow)', () => {
    const imported = graphOf([
      ['@qwen-relay/cli', ['@qwen-relay/proxy', '@qwen-relay/contracts', '@qwen-relay/cli']],
      ['@qwen-relay/contracts', []],
    ]);
    assert.deepEqual(findGraphProblems({ drawn, imported }), []);
  });

  it('reports an undrawn import, an arrow nothing imports, and a package missing from the graph', () => {
    const imported = graphOf([
      ['@qwen-relay/cli', ['@qwen-relay/proxy', '@qwen-relay/state-store']],
      ['@qwen-relay/contracts', []],
      ['@qwen-relay/new-package', []],
    ]);
    assert.deepEqual(findGraphProblems({ drawn, imported }), [
      '@qwen-relay/cli imports @qwen-relay/state-store, but the graph draws no such arrow',
      '@qwen-relay/new-package is not in the graph',
      "the graph draws @qwen-relay/cli ──▶ @qwen-relay/contracts, but @qwen-relay/cli's source does not import it",
    ]);
  });
});
