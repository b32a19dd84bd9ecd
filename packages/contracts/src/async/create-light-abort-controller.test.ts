import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createLightAbortController } from './create-light-abort-controller';
import { raceWithSignal } from './race-with-signal';
import { sleepWithSignal } from './sleep-with-signal';

describe('createLightAbortController', () => {
  it('starts unaborted', () => {
    const { signal } = createLightAbortController();
    expect(signal.aborted).toBe(false);
    expect(signal.reason).toBeUndefined();
    expect(() => signal.throwIfAborted()).not.toThrow();
    expect(Object.prototype.toString.call(signal)).toBe('[object AbortSignal]');
  });

  it('aborts once with the given reason, calling onabort and every listener once', () => {
    const controller = createLightAbortController();
    const seen: string[] = [];
    controller.signal.onabort = (event) => seen.push(`onabort:${event.type}`);
    controller.signal.addEventListener('abort', () => seen.push('listener'));
    controller.signal.addEventListener('abort', () => seen.push('once'), { once: true });
    const reason = new Error('stop');
    controller.abort(reason);
    controller.abort(new Error('again'));
    expect(seen).toEqual(['onabort:abort', 'listener', 'once']);
    expect(controller.signal.aborted).toBe(true);
    expect(controller.signal.reason).toBe(reason);
    expect(() => controller.signal.throwIfAborted()).toThrow(reason);
  });

  it('defaults the reason to an AbortError DOMException, like AbortController', () => {
    const light = createLightAbortController();
    const native = new AbortController();
    light.abort();
    native.abort();
    expect(light.signal.reason).toBeInstanceOf(DOMException);
    expect((light.signal.reason as DOMException).name).toBe(
      (native.signal.reason as DOMException).name,
    );
    expect((light.signal.reason as DOMException).message).toBe(
      (native.signal.reason as DOMException).message,
    );
  });

  it('does not call a removed listener', () => {
    const controller = createLightAbortController();
    let calls = 0;
    const listener = () => {
      calls += 1;
    };
    controller.signal.addEventListener('abort', listener);
    controller.signal.removeEventListener('abort', listener);
    controller.abort();
    expect(calls).toBe(0);
  });

  it('stops sleepWithSignal and raceWithSignal with its reason', async () => {
    const controller = createLightAbortController();
    const reason = new Error('caller left');
    const sleeping = sleepWithSignal({ delayInMs: 60_000, signal: controller.signal });
    const racing = raceWithSignal({ promise: new Promise(() => {}), signal: controller.signal });
    controller.abort(reason);
    await expect(sleeping).rejects.toBe(reason);
    await expect(racing).rejects.toBe(reason);
  });

  it('is accepted by Node timers/promises as a signal', async () => {
    const controller = createLightAbortController();
    const sleeping = sleep(60_000, undefined, { signal: controller.signal });
    controller.abort(new Error('stop'));
    await expect(sleeping).rejects.toMatchObject({ name: 'AbortError' });
  });
});
