/**
 * Reduces the runs of one arm to one record: the median of every numeric metric, except
 * counts where one bad run matters (failures, stalls, refreshes, peak memory), which keep the
 * worst run so a median cannot hide them.
 */

const WORST_OF_RUNS = new Set([
  'failed',
  'stalledStreams',
  'refreshCalls',
  'unauthorizedSent',
  'peakRssInMb',
  'gapMaxInMs',
  'eventLoopDelayMaxInMs',
]);

/** Median of finite numbers (null when there are none). */
export function median(values) {
  const numbers = values.filter((value) => typeof value === 'number' && Number.isFinite(value));
  if (numbers.length === 0) return null;
  numbers.sort((a, b) => a - b);
  const middle = Math.floor(numbers.length / 2);
  const value =
    numbers.length % 2 === 1 ? numbers[middle] : (numbers[middle - 1] + numbers[middle]) / 2;
  return Math.round(value * 1000) / 1000;
}

/** One record per arm from its runs (see the module comment for which rule each field uses). */
export function summarizeRuns(runs) {
  const names = new Set(runs.flatMap((run) => Object.keys(run)));
  const summary = {};
  for (const name of names) {
    const values = runs.map((run) => run[name]);
    if (values.every((value) => typeof value !== 'number')) continue;
    summary[name] = WORST_OF_RUNS.has(name)
      ? Math.max(...values.filter((value) => typeof value === 'number'))
      : median(values);
  }
  return summary;
}

/** `value / base` rounded to two decimals, or null when either is missing. */
export function computeRatio(value, base) {
  if (typeof value !== 'number' || typeof base !== 'number' || base === 0) return null;
  return Math.round((value / base) * 100) / 100;
}
