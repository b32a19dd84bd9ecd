import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findPublicApiProblems, listEntryExports, MAX_PUBLIC_API_LINES } from './public-api.mjs';

const entrySource = [
  '// the entry',
  "export { createThing, type ThingOptions } from './create-thing';",
  "export type {\n  Event,\n  EventType,\n} from './events';",
  "export { internalName as publicName } from './renamed';",
  'export const VERSION = 1;',
].join('\n');

const readmeWith = (section) =>
  `# pkg\n\nIntro.\n\n## Public API\n\n${section}\n\n## Options\n\n\`notAnExport\`\n`;

const table = [
  '| export | what it is |',
  '| --- | --- |',
  '| `createThing(options)`, `ThingOptions` | makes a thing |',
  '| `Event`, `EventType` | what it reports; `ignoredInSecondColumn` |',
  '| `publicName` | renamed on export |',
  '| `VERSION` | a constant |',
].join('\n');

describe('listEntryExports', () => {
  it('names every export: braces (multi-line, type-only, renamed) and declarations', () => {
    const { names, starExports } = listEntryExports(entrySource);
    assert.deepEqual([...names].sort(), [
      'Event',
      'EventType',
      'ThingOptions',
      'VERSION',
      'createThing',
      'publicName',
    ]);
    assert.deepEqual(starExports, []);
  });

  it('reports `export *`, which hides the names', () => {
    assert.deepEqual(listEntryExports("export type * from './types';").starExports, ['./types']);
  });
});

describe('findPublicApiProblems', () => {
  it('accepts a section that lists exactly the exports', () => {
    assert.deepEqual(findPublicApiProblems({ readme: readmeWith(table), entrySource }), []);
  });

  it('reports a missing section', () => {
    assert.match(
      findPublicApiProblems({ readme: '# pkg\n', entrySource }).join('\n'),
      /no "## Public API" section/,
    );
  });

  it('reports an export the section does not list (text after the section does not count)', () => {
    const problems = findPublicApiProblems({
      readme: readmeWith(table),
      entrySource: `${entrySource}\nexport function notAnExport() {}`,
    });
    assert.deepEqual(problems, [
      'README.md:5: `notAnExport` is exported but not listed in Public API',
    ]);
  });

  it('reports a name in the table that the entry does not export', () => {
    const problems = findPublicApiProblems({
      readme: readmeWith(`${table}\n| \`removedLongAgo({ x })\` | stale |`),
      entrySource,
    });
    assert.deepEqual(problems, [
      'README.md:13: `removedLongAgo` is listed in Public API but src/index.ts does not export it',
    ]);
  });

  it('reports a section longer than a screen, and `export *` in the entry', () => {
    const filler = Array.from({ length: MAX_PUBLIC_API_LINES }, (_, index) => `line ${index}`);
    const problems = findPublicApiProblems({
      readme: readmeWith(`${table}\n${filler.join('\n')}`),
      entrySource: `${entrySource}\nexport * from './more';`,
    });
    assert.equal(problems.length, 2);
    assert.match(problems[0], /export \* from '\.\/more'/);
    assert.match(problems[1], /takes \d+ lines; keep it to 45/);
  });
});
