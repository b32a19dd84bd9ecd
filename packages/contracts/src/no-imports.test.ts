import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// contracts sits at the bottom of the graph and runs inside workers: no imports but its own
const IMPORT_PATTERN =
  /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;
const TIMER_CALL_PATTERN = /\b(setTimeout|setInterval|setImmediate|queueMicrotask)\s*\(/;
// the one timer: a sleep that exists to be awaited (never a background timer)
const FILES_WITH_A_TIMER = new Set(['async/sleep-with-signal.ts']);
// the `./node` entry (src/node.ts, src/process/) may use the `process` global; nothing else may
const PROCESS_USE_PATTERN = /\bprocess\s*\./;
const isNodeEntryFile = (name: string) => name === 'node.ts' || name.startsWith('process/');

const sourceDirectory = join(import.meta.dirname, '.');

function listSourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return listSourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

function listImports(source: string): string[] {
  return [...source.matchAll(IMPORT_PATTERN)].map(
    (match) => match[1] ?? match[2] ?? match[3] ?? match[4] ?? '',
  );
}

describe('contracts is pure and dependency-free', () => {
  const files = listSourceFiles(sourceDirectory);

  it('finds the source files (the scan itself works)', () => {
    expect(files.length).toBeGreaterThan(8);
    expect(
      listImports(`import { a } from 'node:fs';\nimport type {\n  B,\n} from "undici";`),
    ).toEqual(['node:fs', 'undici']);
  });

  it.each(files.map((file) => [relative(sourceDirectory, file), file]))(
    '%s imports only relative modules and uses no timers (nor `process` outside ./node)',
    (name, file) => {
      const source = readFileSync(file, 'utf8');
      expect(listImports(source).filter((specifier) => !specifier.startsWith('.'))).toEqual([]);
      if (FILES_WITH_A_TIMER.has(name)) expect(source).toMatch(TIMER_CALL_PATTERN);
      else expect(source).not.toMatch(TIMER_CALL_PATTERN);
      if (!isNodeEntryFile(name)) {
        expect(source).not.toMatch(PROCESS_USE_PATTERN);
        expect(
          listImports(source).filter((specifier) => /\/(process\/|node$)/.test(specifier)),
        ).toEqual([]);
      }
    },
  );

  it('declares no dependencies', () => {
    const manifest = JSON.parse(
      readFileSync(join(sourceDirectory, '..', 'package.json'), 'utf8'),
    ) as Record<string, unknown>;
    expect(manifest.dependencies).toBeUndefined();
    expect(manifest.sideEffects).toBe(false);
  });
});
