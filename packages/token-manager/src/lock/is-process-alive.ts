import { isErrnoException } from '../fs/is-errno-exception';

/**
 * Is a process with this pid running on this host? Signal 0 checks existence without
 * delivering anything: ESRCH means gone; EPERM means it exists but belongs to another user.
 * A reused pid reads as alive, which only delays a takeover to the normal staleness rule.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return !(isErrnoException(error) && error.code === 'ESRCH');
  }
}
