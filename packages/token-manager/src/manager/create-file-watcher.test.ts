import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFileWatcher } from './create-file-watcher';

afterEach(() => {
  vi.useRealTimers();
});

describe('createFileWatcher', () => {
  it('runs one check at a time: concurrent callers join the running one', async () => {
    let release: () => void = () => undefined;
    const check = vi.fn(
      () =>
        new Promise<void>((resolve) => {
          release = resolve;
        }),
    );
    const watcher = createFileWatcher({ intervalInMs: 5_000, now: () => 0, check });
    const first = watcher.check({ force: true });
    const second = watcher.check({ force: true });
    expect(watcher.running).toBe(first);
    expect(second).toBe(first);
    release();
    await first;
    expect(check).toHaveBeenCalledTimes(1);
    expect(watcher.running).toBeUndefined();
  });

  it('throttles unforced checks to one per interval; a forced check always runs', async () => {
    let nowInMs = 0;
    const check = vi.fn(async () => undefined);
    const watcher = createFileWatcher({ intervalInMs: 5_000, now: () => nowInMs, check });
    expect(watcher.isDue()).toBe(true);
    await watcher.check({ force: false });
    nowInMs = 4_999;
    expect(watcher.isDue()).toBe(false);
    await watcher.check({ force: false });
    expect(check).toHaveBeenCalledTimes(1);
    await watcher.check({ force: true });
    expect(check).toHaveBeenCalledTimes(2);
    nowInMs = 4_999 + 5_000;
    expect(watcher.isDue()).toBe(true);
    await watcher.check({ force: false });
    expect(check).toHaveBeenCalledTimes(3);
  });

  it('checks every interval once started, survives a failing check, and stops', async () => {
    vi.useFakeTimers();
    let calls = 0;
    const check = vi.fn(async () => {
      calls += 1;
      if (calls === 1) throw new Error('stat failed');
    });
    const watcher = createFileWatcher({ intervalInMs: 1_000, now: () => Date.now(), check });
    watcher.start();
    watcher.start(); // a second start adds no second timer
    await vi.advanceTimersByTimeAsync(3_000);
    expect(check).toHaveBeenCalledTimes(3);
    watcher.stop();
    await vi.advanceTimersByTimeAsync(3_000);
    expect(check).toHaveBeenCalledTimes(3);
  });
});
