import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isProcessAlive } from './is-process-alive';

function failKillWith(code: string): void {
  vi.spyOn(process, 'kill').mockImplementation(() => {
    throw Object.assign(new Error(`kill ${code}`), { code });
  });
}

describe('isProcessAlive', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('this process is alive', () => {
    expect(isProcessAlive(process.pid)).toBe(true);
  });

  it('a process that has exited is dead (ESRCH)', () => {
    const child = spawnSync(process.execPath, ['-e', '']);
    expect(child.pid).toBeGreaterThan(0);
    expect(isProcessAlive(child.pid as number)).toBe(false);
  });

  it('EPERM (another user’s process) is alive', () => {
    failKillWith('EPERM');
    expect(isProcessAlive(4242)).toBe(true);
  });

  it('ESRCH is dead', () => {
    failKillWith('ESRCH');
    expect(isProcessAlive(4242)).toBe(false);
  });

  it('any other failure leaves liveness unknown, which counts as alive (the lock is kept)', () => {
    failKillWith('EINVAL');
    expect(isProcessAlive(4242)).toBe(true);
    vi.spyOn(process, 'kill').mockImplementation(() => {
      throw 'not an error object';
    });
    expect(isProcessAlive(4242)).toBe(true);
  });
});
