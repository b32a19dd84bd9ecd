import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// the adapter runs inside piscina workers and must stay pure (ARCHITECTURE.md)
const FORBIDDEN_MODULES =
  /^(node:)?(fs|fs\/promises|net|http|https|http2|tls|dgram|dns|child_process|worker_threads|timers|timers\/promises|cluster)$|^undici(\/|$)/;
const IMPORT_PATTERN =
  /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;
const TIMER_CALL_PATTERN = /\b(setTimeout|setInterval|setImmediate|queueMicrotask)\s*\(/;

const sourceDirectory = join(import.meta.dirname, '.');

function listSourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === '__fixtures__' ? [] : listSourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

function listImports(source: string): string[] {
  return [...source.matchAll(IMPORT_PATTERN)].map(
    (match) => match[1] ?? match[2] ?? match[3] ?? match[4] ?? '',
  );
}

describe('purity of src', () => {
  const files = listSourceFiles(sourceDirectory);

  it('finds the source files (the scan itself works)', () => {
    expect(files.length).toBeGreaterThan(10);
    expect(
      listImports(`import { a } from 'node:fs';\nimport type {\n  B,\n} from "undici";`),
    ).toEqual(['node:fs', 'undici']);
    expect(FORBIDDEN_MODULES.test('node:worker_threads')).toBe(true);
    expect(FORBIDDEN_MODULES.test('undici/types')).toBe(true);
    expect(FORBIDDEN_MODULES.test('./sse/split-sse-lines')).toBe(false);
  });

  it.each(files.map((file) => [relative(sourceDirectory, file), file]))(
    '%s imports no I/O module and uses no timers',
    (_name, file) => {
      const source = readFileSync(file, 'utf8');
      const forbidden = listImports(source).filter((specifier) =>
        FORBIDDEN_MODULES.test(specifier),
      );
      expect(forbidden).toEqual([]);
      expect(source).not.toMatch(TIMER_CALL_PATTERN);
      // only relative imports and the contracts package (itself pure and dependency-free)
      expect(
        listImports(source).filter(
          (specifier) => !specifier.startsWith('.') && specifier !== '@qwen-relay/contracts',
        ),
      ).toEqual([]);
    },
  );
});
