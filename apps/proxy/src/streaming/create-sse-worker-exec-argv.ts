/** The flag that turns `require()` of an ES module off (Node 20.19+ turned it on by default). */
export const NO_REQUIRE_MODULE_FLAG = '--no-experimental-require-module';

/**
 * The Node options of the SSE transform workers: this process's own, plus
 * {@link NO_REQUIRE_MODULE_FLAG} where this Node knows it.
 *
 * piscina loads a worker's task with `require()` first and falls back to `import()` when that
 * throws. The task module is ESM, so on Node 20.19+ `require()` loads it. On Node 20.20.2 that
 * `require()` can fail a native assertion (`ModuleWrap::CreateRequiredModuleFacade`, or
 * `v8::Module::IsGraphAsync`), which aborts the whole process, not just the worker. It was seen as
 * a test file's proxies closed their pools: twice in about 365 runs of the e2e tests that start
 * workers, and once in CI. With the flag `require()` throws `ERR_REQUIRE_ESM` at once and the
 * task is loaded with `import()` only.
 *
 * A Node that no longer knows the flag (`allowedNodeEnvironmentFlags`) gets the options as they
 * are: a worker refuses an unknown option, and no workers would be worse than the race.
 */
export function createSseWorkerExecArgv({
  execArgv = process.execArgv,
  allowedFlags = process.allowedNodeEnvironmentFlags,
}: {
  execArgv?: readonly string[];
  allowedFlags?: ReadonlySet<string>;
} = {}): string[] {
  if (!allowedFlags.has(NO_REQUIRE_MODULE_FLAG) || execArgv.includes(NO_REQUIRE_MODULE_FLAG)) {
    return [...execArgv];
  }
  return [...execArgv, NO_REQUIRE_MODULE_FLAG];
}
