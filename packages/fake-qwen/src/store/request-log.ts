import type { RecordedRequest } from '../types';

/** Requests in arrival order, bounded to the most recent `capacity`. */
export interface RequestLog {
  readonly entries: readonly RecordedRequest[];
  record(entry: RecordedRequest): void;
  /** the most recent request, or the most recent one to `path` */
  last(path?: string): RecordedRequest | undefined;
  clear(): void;
}

/** Creates an empty bounded request log. */
export function createRequestLog({ capacity }: { capacity: number }): RequestLog {
  const entries: RecordedRequest[] = [];
  return {
    entries,
    record(entry) {
      entries.push(entry);
      if (entries.length > capacity) entries.shift();
    },
    last(path) {
      for (let index = entries.length - 1; index >= 0; index -= 1) {
        const entry = entries[index]!;
        if (path === undefined || entry.path === path) return entry;
      }
      return undefined;
    },
    clear() {
      entries.length = 0;
    },
  };
}
