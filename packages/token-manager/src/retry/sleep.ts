import { sleepWithSignal } from '@qwen-relay/contracts';

/**
 * The positional sleep that `startDeviceAuthorization({ sleep })` and the lock accept as an
 * injectable option; the timer is the shared `sleepWithSignal` (ref'd while awaited).
 */
export function sleep(delayInMs: number, signal?: AbortSignal): Promise<void> {
  return sleepWithSignal({ delayInMs, signal });
}
