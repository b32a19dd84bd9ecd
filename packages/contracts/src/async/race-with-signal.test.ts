import { describe, expect, it } from 'vitest';
import { raceWithSignal } from './race-with-signal';

describe('raceWithSignal', () => {
  it('settles like the promise while the signal stays quiet, and without a signal', async () => {
    const controller = new AbortController();
    await expect(
      raceWithSignal({ promise: Promise.resolve('token'), signal: controller.signal }),
    ).resolves.toBe('token');
    await expect(
      raceWithSignal({ promise: Promise.reject(new Error('refused')), signal: undefined }),
    ).rejects.toThrow('refused');
  });

  it('rejects with the signal reason as soon as it aborts, even if the promise never settles', async () => {
    const controller = new AbortController();
    const pending = raceWithSignal({
      promise: new Promise(() => undefined),
      signal: controller.signal,
    });
    controller.abort(new Error('client went away'));
    await expect(pending).rejects.toThrow('client went away');
  });

  it('converts the reason when asked, also for a signal aborted before the call', async () => {
    const signal = AbortSignal.abort(new Error('deadline'));
    await expect(
      raceWithSignal({
        promise: new Promise(() => undefined),
        signal,
        convertReason: (aborted) => new Error(`aborted: ${(aborted.reason as Error).message}`),
      }),
    ).rejects.toThrow('aborted: deadline');
  });
});
