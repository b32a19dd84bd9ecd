/**
 * Formats a duration for people: "250 ms", "45 s", "42 min", "3 h 5 min", "2 d 4 h".
 * Rounds down, so "in 42 min" never promises more time than there is.
 */
export function formatDuration(durationInMs: number): string {
  const absoluteInMs = Math.abs(durationInMs);
  if (absoluteInMs > 0 && absoluteInMs < 1000) return `${Math.floor(absoluteInMs)} ms`;
  const totalSeconds = Math.floor(Math.abs(durationInMs) / 1000);
  if (totalSeconds < 60) return `${totalSeconds} s`;
  const totalMinutes = Math.floor(totalSeconds / 60);
  if (totalMinutes < 60) return `${totalMinutes} min`;
  const totalHours = Math.floor(totalMinutes / 60);
  if (totalHours < 48) {
    const minutes = totalMinutes % 60;
    return minutes === 0 ? `${totalHours} h` : `${totalHours} h ${minutes} min`;
  }
  const days = Math.floor(totalHours / 24);
  const hours = totalHours % 24;
  return hours === 0 ? `${days} d` : `${days} d ${hours} h`;
}

/** "in 42 min" for a moment ahead of `nowInMs`, "3 h 5 min ago" for one behind it. */
export function formatRelativeTime({
  atInMs,
  nowInMs,
}: {
  atInMs: number;
  nowInMs: number;
}): string {
  const deltaInMs = atInMs - nowInMs;
  if (Math.abs(deltaInMs) < 1000) return 'now';
  const duration = formatDuration(deltaInMs);
  return deltaInMs > 0 ? `in ${duration}` : `${duration} ago`;
}
