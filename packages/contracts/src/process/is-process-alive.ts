/**
 * Is a process with this pid running on this host? Signal 0 checks existence without
 * delivering anything. Only ESRCH ("no such process") means gone: EPERM means it exists but
 * belongs to another user, and any other answer leaves its liveness unknown, so it counts as
 * alive: a lock whose owner may still run is never taken over on this ground (only by the
 * staleness rule). A reused pid reads as alive, which likewise only delays a takeover.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return !(
      typeof error === 'object' &&
      error !== null &&
      (error as { code?: unknown }).code === 'ESRCH'
    );
  }
}
