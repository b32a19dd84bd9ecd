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

  it('stops listening once settled, and leaves no unhandled rejection behind an abort', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const controller = new AbortController();
      const removed: string[] = [];
      const signal = controller.signal;
      const removeEventListener = signal.removeEventListener.bind(signal);
      type Listener = Parameters<AbortSignal['removeEventListener']>[1];
      signal.removeEventListener = ((type: string, listener: Listener) => {
        removed.push(type);
        removeEventListener(type, listener);
      }) as typeof signal.removeEventListener;
      await raceWithSignal({ promise: Promise.resolve(1), signal });
      await expect(
        raceWithSignal({ promise: Promise.reject(new Error('refused')), signal }),
      ).rejects.toThrow('refused');
      expect(removed).toEqual(['abort', 'abort']);
      // the promise rejects after the abort won: nobody else listens to it
      let rejectLater: (error: Error) => void = () => undefined;
      const later = new Promise<never>((_, reject) => {
        rejectLater = reject;
      });
      const raced = raceWithSignal({ promise: later, signal });
      controller.abort(new Error('gone'));
      await expect(raced).rejects.toThrow('gone');
      rejectLater(new Error('late failure'));
      const lateAfterAbort = raceWithSignal({
        promise: Promise.reject(new Error('late too')),
        signal,
      });
      await expect(lateAfterAbort).rejects.toThrow('gone');
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
