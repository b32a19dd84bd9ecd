const pad = (value: number): string => String(value).padStart(2, '0');

/**
 * Formats an epoch time in the machine's time zone as `2026-11-22 14:05:09 (UTC+01:00)`:
 * unambiguous, sortable, and the same whatever the locale.
 */
export function formatLocalTime(atInMs: number): string {
  const date = new Date(atInMs);
  const offsetInMinutes = -date.getTimezoneOffset();
  const sign = offsetInMinutes >= 0 ? '+' : '-';
  const offset = `${pad(Math.floor(Math.abs(offsetInMinutes) / 60))}:${pad(Math.abs(offsetInMinutes) % 60)}`;
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  return `${day} ${time} (UTC${sign}${offset})`;
}
