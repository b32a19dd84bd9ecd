import { hostname } from 'node:os';

/** Who holds a lock we created: recorded inside the lock file, after qwen-code's UUID line. */
export interface LockOwner {
  pid: number;
  hostname: string;
}

/** What a lock file says: the id on its first line and, for our locks, the owner on the second. */
export interface LockContent {
  lockId: string;
  owner?: LockOwner;
}

/**
 * Lock file content: line 1 is the random UUID (all qwen-code writes; it only ever looks at the
 * mtime), line 2 is `{"pid":…,"hostname":…}` so a lock left by a dead process of ours can be
 * recognised at once instead of after the staleness window.
 */
export function formatLockContent({ lockId, owner }: { lockId: string; owner: LockOwner }): string {
  return `${lockId}\n${JSON.stringify({ pid: owner.pid, hostname: owner.hostname })}\n`;
}

/** The owner of this process, as recorded in its locks. */
export function getCurrentLockOwner(): LockOwner {
  return { pid: process.pid, hostname: hostname() };
}

/** Parses lock file content; an id-only lock (qwen-code's, older versions of ours) has no owner. */
export function parseLockContent(text: string): LockContent {
  const [firstLine = '', secondLine] = text.split('\n');
  const lockId = firstLine.trim();
  if (secondLine === undefined) return { lockId };
  try {
    const parsed: unknown = JSON.parse(secondLine);
    if (typeof parsed === 'object' && parsed !== null) {
      const { pid, hostname: host } = parsed as { pid?: unknown; hostname?: unknown };
      if (typeof pid === 'number' && Number.isInteger(pid) && pid > 0 && typeof host === 'string') {
        return { lockId, owner: { pid, hostname: host } };
      }
    }
  } catch {
    // not ours: just an id
  }
  return { lockId };
}
