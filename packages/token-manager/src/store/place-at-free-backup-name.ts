/** `20261122T020621Z`: a timestamp that sorts, and is safe in file names on every system. */
export function formatBackupTimestamp(atInMs: number): string {
  return new Date(atInMs)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/**
 * Calls `place(destination)` with `<path>.bak-<timestamp>`, then `-2`, `-3`… while `place`
 * fails with EEXIST, so an earlier backup is never overwritten. Returns the name used.
 */
export async function placeAtFreeBackupName({
  path,
  nowInMs,
  place,
}: {
  path: string;
  nowInMs: number;
  place: (destination: string) => Promise<void>;
}): Promise<string> {
  const base = `${path}.bak-${formatBackupTimestamp(nowInMs)}`;
  for (let suffix = 1; suffix < 1000; suffix += 1) {
    const destination = suffix === 1 ? base : `${base}-${suffix}`;
    try {
      await place(destination);
      return destination;
    } catch (error) {
      if ((error as { code?: unknown } | null)?.code !== 'EEXIST') throw error;
    }
  }
  throw new Error(`Too many backups of ${path} at the same second.`);
}
