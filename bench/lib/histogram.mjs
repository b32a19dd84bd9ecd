/**
 * A small log-linear histogram of durations, recorded in microseconds: exact below 1,024 µs,
 * buckets 0.5 % wide above (so p99 of a 100 ms gap is off by at most 0.5 ms). autocannon's own
 * histogram keeps whole milliseconds, too coarse for "added p50 ≤ 1 ms", hence this one.
 */

const LINEAR_LIMIT_IN_US = 1024;
const GROWTH = 1.005;
const LOG_GROWTH = Math.log(GROWTH);
const BUCKET_COUNT = 4096;

/** Index of the bucket holding `valueInUs`. */
function convertValueToBucket(valueInUs) {
  if (valueInUs < LINEAR_LIMIT_IN_US) return Math.max(0, Math.floor(valueInUs));
  const index =
    LINEAR_LIMIT_IN_US + Math.floor(Math.log(valueInUs / LINEAR_LIMIT_IN_US) / LOG_GROWTH);
  return Math.min(index, BUCKET_COUNT - 1);
}

/** Representative value (µs) of a bucket: its lower bound, like HDR's `lowestEquivalentValue`. */
function convertBucketToValue(index) {
  if (index < LINEAR_LIMIT_IN_US) return index;
  return LINEAR_LIMIT_IN_US * GROWTH ** (index - LINEAR_LIMIT_IN_US);
}

/** Creates an empty histogram; record milliseconds (floats), read summaries in milliseconds. */
export function createHistogram() {
  const counts = new Uint32Array(BUCKET_COUNT);
  let count = 0;
  let sumInUs = 0;
  let maxInUs = 0;

  /** value at percentile `percent` (0–100), in µs */
  function readPercentileInUs(percent) {
    if (count === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil((percent / 100) * count));
    let seen = 0;
    for (let index = 0; index < BUCKET_COUNT; index++) {
      seen += counts[index];
      if (seen >= rank) return Math.min(convertBucketToValue(index), maxInUs);
    }
    return maxInUs;
  }

  return {
    /** record one duration in milliseconds */
    record(valueInMs) {
      const valueInUs = valueInMs * 1000;
      counts[convertValueToBucket(valueInUs)]++;
      count++;
      sumInUs += valueInUs;
      if (valueInUs > maxInUs) maxInUs = valueInUs;
    },
    get count() {
      return count;
    },
    /** plain, IPC-safe summary in milliseconds (null when empty) */
    summarize() {
      if (count === 0) return null;
      const toMs = (valueInUs) => Math.round(valueInUs) / 1000;
      return {
        count,
        meanInMs: toMs(sumInUs / count),
        p50InMs: toMs(readPercentileInUs(50)),
        p90InMs: toMs(readPercentileInUs(90)),
        p99InMs: toMs(readPercentileInUs(99)),
        p999InMs: toMs(readPercentileInUs(99.9)),
        maxInMs: toMs(maxInUs),
      };
    },
  };
}
