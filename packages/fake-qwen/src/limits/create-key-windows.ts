import { LIMIT_ANSWERS } from '../faults/faults';

/** A plan window the fake enforces on one key, like Coding Plan's request windows. */
export interface FakeKeyWindow {
  /** requests the key may make before the window is spent */
  limit: number;
  window: '5h' | '7d' | '30d';
  /** requests counted so far */
  used: number;
}

/** Per-key plan windows: answers the plan's "… allocated quota exceeded" once a key is spent. */
export interface FakeKeyWindows {
  set(options: { key: string; limit: number; window?: '5h' | '7d' | '30d' }): void;
  /** counts a chat request of `key`; returns the refusal once the window is spent */
  take(key: string | undefined): { status: number; code: string; message: string } | undefined;
  get(key: string): FakeKeyWindow | undefined;
  clear(): void;
}

/** Creates the window table (empty: no key is limited). */
export function createKeyWindows(): FakeKeyWindows {
  const windows = new Map<string, FakeKeyWindow>();
  return {
    set({ key, limit, window = '5h' }) {
      windows.set(key, { limit, window, used: 0 });
    },
    take(key) {
      const entry = key === undefined ? undefined : windows.get(key);
      if (entry === undefined) return undefined;
      if (entry.used >= entry.limit) return LIMIT_ANSWERS[`plan-window-${entry.window}`];
      entry.used += 1;
      return undefined;
    },
    get: (key) => windows.get(key),
    clear: () => windows.clear(),
  };
}
