import { setFlagsFromString } from 'node:v8';

/** The V8 flag this tuning turns off. */
export const PRETENURING_FLAG = '--allocation-site-pretenuring';

// node's own spellings of the flag, on or off: `--[no-|no]allocation[-_]site[-_]pretenuring[=…]`
const PRETENURING_FLAG_PATTERN = /^--(?:no-?)?allocation[-_]site[-_]pretenuring(?:=.*)?$/;

/** What {@link tuneHeapForRequests} did: turned pretenuring off, or left the user's flag alone. */
export type HeapTuning = 'pretenuring-off' | 'user-choice-kept';

/**
 * Turns off V8's allocation-site pretenuring for this process, unless node was started with
 * the flag (on or off) on its command line: that choice is kept.
 *
 * Why (docs/design.md §11): V8 moves an object literal's allocations straight to the old
 * generation once most of its objects survive a scavenge. A proxy's objects live for one
 * request; when a warm-up burst lets a few per-request literals look long-lived, V8 tenures
 * them for good, and every later request's literal then sits dead in the old generation until
 * the next full collection, keeping whatever young objects it points to (the parsed answer, the
 * response headers, the payload) alive through every scavenge in between. Measured on the
 * proxy: 4–6 × the floor's promoted bytes and twice its scavenge pauses; with
 * pretenuring off, the floor's. Call it first, before the requests start; only the proxy's
 * own commands do (a library embedding the proxy keeps its process's settings).
 */
export function tuneHeapForRequests({
  execArgv = process.execArgv,
  setFlags = setFlagsFromString,
}: {
  /** node's own command-line flags (default: `process.execArgv`) */
  execArgv?: readonly string[];
  /** sets a V8 flag (default: `v8.setFlagsFromString`; tests pass a spy) */
  setFlags?: (flag: string) => void;
} = {}): HeapTuning {
  if (execArgv.some((argument) => PRETENURING_FLAG_PATTERN.test(argument))) {
    return 'user-choice-kept';
  }
  setFlags(`--no-${PRETENURING_FLAG.slice(2)}`);
  return 'pretenuring-off';
}
