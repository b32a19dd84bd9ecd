import { fileURLToPath } from 'node:url';

/** The built entry (`dist/index.js`): tests drive what users run, not the sources. */
export const BUILT_PROXY_ENTRY = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

/** The built command (`dist/main.js`). */
export const BUILT_PROXY_MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

/** The built proxy module, typed by its sources (turbo builds before testing). */
export type BuiltProxyModule = typeof import('../../src/index');

/** Imports the built proxy; the path is a variable so typechecking never needs dist/. */
export async function loadBuiltProxy(): Promise<BuiltProxyModule> {
  const entry: string = BUILT_PROXY_ENTRY;
  return (await import(entry)) as BuiltProxyModule;
}
