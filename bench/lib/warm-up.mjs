/**
 * When an arm is warm: its CPU per request, measured over consecutive warm-up slices, has
 * stopped falling. A fresh proxy process spends its first seconds under load in V8's
 * interpreter and baseline tiers, with the optimising compiler running on a second thread
 * (counted in the process's CPU): in one run, 1,178, 435, 308, 144 and 163 µs per chat
 * request in its first five seconds, then 85–165 µs for the next thirty-five. The bare
 * pass-throughs have less code to optimise and settle in about three seconds (304, 151, 76, 70,
 * 69 µs). Measuring both in turn after one fixed second compared a proxy still being compiled
 * with a floor nearly warm.
 */

/** A slice counts as no better when it is above this share of the lowest slice before it. */
export const WARM_TOLERANCE = 0.9;
/** Consecutive slices that must be no better before an arm is called warm. */
export const WARM_SLICES = 2;

/**
 * True when the last `WARM_SLICES` values of `cpuPerRequestInUs` (one per slice, oldest first)
 * are each at least `WARM_TOLERANCE` × the lowest value before it: the arm stopped getting
 * cheaper. Values that are not finite positive numbers (a slice without a request) never count
 * as warm.
 */
export function isWarm(cpuPerRequestInUs) {
  if (cpuPerRequestInUs.length <= WARM_SLICES) return false;
  for (
    let index = cpuPerRequestInUs.length - WARM_SLICES;
    index < cpuPerRequestInUs.length;
    index++
  ) {
    const value = cpuPerRequestInUs[index];
    if (!(Number.isFinite(value) && value > 0)) return false;
    const before = cpuPerRequestInUs.slice(0, index).filter((v) => Number.isFinite(v) && v > 0);
    if (before.length === 0) return false;
    if (value < WARM_TOLERANCE * Math.min(...before)) return false;
  }
  return true;
}
