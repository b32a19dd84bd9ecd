/**
 * Converts a `monitorEventLoopDelay` reading (nanoseconds) to the delay in seconds beyond the
 * sampling interval. The monitor records the whole time between two of its timer ticks, so an
 * idle loop reads exactly the resolution: that part is the schedule, not delay.
 */
export function convertEventLoopDelayToSeconds({
  recordedInNanoseconds,
  resolutionInMs,
}: {
  recordedInNanoseconds: number;
  resolutionInMs: number;
}): number {
  // NaN before the first sample (and Infinity from an empty max) reads as no delay
  if (!Number.isFinite(recordedInNanoseconds)) return 0;
  return Math.max(0, recordedInNanoseconds - resolutionInMs * 1e6) / 1e9;
}
