import { describe, expect, it } from 'vitest';
import { sleep } from './sleep';

function countActiveTimers(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
}

describe('sleep', () => {
  it('keeps the process alive while somebody awaits it (a standalone CLI must not exit mid-poll)', async () => {
    const before = countActiveTimers();
    const pending = sleep(20);
    expect(countActiveTimers()).toBe(before + 1);
    await pending;
    expect(countActiveTimers()).toBe(before);
  });

  it('rejects with the abort reason and clears its timer', async () => {
    const controller = new AbortController();
    const before = countActiveTimers();
    const pending = sleep(60_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
    expect(countActiveTimers()).toBe(before);
  });
});
