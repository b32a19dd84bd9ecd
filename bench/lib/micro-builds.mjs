/**
 * What the micro-benchmarks that compare builds share: loading the builds named on the command
 * line, and the median of their rounds.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The builds to compare: each path on the command line (a `dist/index.js`, or a package name
 * starting with `@`) as `{ path, module }`, or `defaultSpecifier` alone when none is given.
 */
export async function loadBuilds(defaultSpecifier) {
  const specifiers = process.argv.length > 2 ? process.argv.slice(2) : [defaultSpecifier];
  return Promise.all(
    specifiers.map(async (path) => ({
      path,
      module: await import(path.startsWith('@') ? path : pathToFileURL(resolve(path)).href),
    })),
  );
}

/** The middle value of the rounds (the upper middle one for an even count). */
export function medianOfRounds(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
