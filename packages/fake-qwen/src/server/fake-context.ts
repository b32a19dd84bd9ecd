import type { FaultQueue } from '../faults/fault-queue';
import type { DeviceCodeStore } from '../store/device-code-store';
import type { TokenStore } from '../store/token-store';
import type { FakeQwenCounters } from '../types';
import type { FakeQwenSettings } from './fake-settings';

/** Shared state every route handler of one fake instance works with. */
export interface FakeContext {
  readonly settings: FakeQwenSettings;
  readonly tokens: TokenStore;
  readonly deviceCodes: DeviceCodeStore;
  readonly faultQueue: FaultQueue;
  readonly counters: FakeQwenCounters;
  /** http://127.0.0.1:<port> */
  baseUrl(): string;
  /** what to put in `resource_url` ('self' → baseUrl) */
  resourceUrl(): string;
  /** a timer that resolves early when the fake closes */
  sleep(delayInMs: number): Promise<void>;
  isClosing(): boolean;
}
