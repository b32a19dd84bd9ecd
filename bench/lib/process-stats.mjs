/**
 * Linux /proc readings of a child process: peak resident memory (VmHWM, resettable through
 * clear_refs so each measurement window has its own peak) and CPU time as a fallback when a
 * process has no probe. Everything returns null off Linux or when the process is gone.
 */
import { readFile, writeFile } from 'node:fs/promises';

const CLOCK_TICKS_PER_SECOND = 100;

/** Resets the kernel's peak-RSS mark of `pid` (echo 5 > clear_refs); false when not allowed. */
export async function resetPeakRss(pid) {
  try {
    await writeFile(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Peak resident set size of `pid` since start or the last reset, in MB. */
export async function readPeakRssInMb(pid) {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status);
    return match ? Math.round(Number(match[1]) / 102.4) / 10 : null;
  } catch {
    return null;
  }
}

/** User + system CPU time of `pid` (all threads) in µs, at 10 ms resolution. */
export async function readCpuTimeInUs(pid) {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // fields after the parenthesised command name; utime and stime are fields 14 and 15
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1_000_000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}
