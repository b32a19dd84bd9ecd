import type { StateEntries, StateEntry } from '../operations/state-entries';

/** A published message kept in the state file so other processes can pick it up. */
export interface StoredStateMessage {
  sequence: number;
  channel: string;
  message: string;
  /** the publishing store instance, so it does not deliver its own message twice */
  origin: string;
  publishedAtInMs: number;
}

/** Everything the state file holds. */
export interface StateFileContent {
  entries: StateEntries;
  messages: StoredStateMessage[];
  nextSequence: number;
}

const FORMAT = 'qwen-relay-state/1';

/** An empty state. */
export function createEmptyStateFileContent(): StateFileContent {
  return { entries: new Map(), messages: [], nextSequence: 1 };
}

/** Serialises the state file (one JSON object; entries keyed by state key). */
export function serializeStateFile(content: StateFileContent): string {
  const entries: Record<string, StateEntry> = {};
  for (const [key, entry] of content.entries) entries[key] = entry;
  return `${JSON.stringify({
    format: FORMAT,
    nextSequence: content.nextSequence,
    entries,
    messages: content.messages,
  })}\n`;
}

/** Parses the state file; throws a plain Error saying what is wrong when it is not one. */
export function parseStateFile(text: string): StateFileContent {
  const parsed = JSON.parse(text) as {
    format?: unknown;
    nextSequence?: unknown;
    entries?: unknown;
    messages?: unknown;
  };
  if (parsed === null || typeof parsed !== 'object' || parsed.format !== FORMAT) {
    throw new Error(`not a ${FORMAT} file`);
  }
  const entries: StateEntries = new Map();
  if (parsed.entries !== null && typeof parsed.entries === 'object') {
    for (const [key, raw] of Object.entries(parsed.entries as Record<string, unknown>)) {
      const entry = raw as Partial<StateEntry> | null;
      if (entry === null || typeof entry.value !== 'string') continue;
      entries.set(
        key,
        typeof entry.expiresAtInMs === 'number'
          ? { value: entry.value, expiresAtInMs: entry.expiresAtInMs }
          : { value: entry.value },
      );
    }
  }
  const messages = Array.isArray(parsed.messages)
    ? (parsed.messages as StoredStateMessage[]).filter(
        (message) =>
          typeof message?.sequence === 'number' &&
          typeof message.channel === 'string' &&
          typeof message.message === 'string',
      )
    : [];
  const nextSequence =
    typeof parsed.nextSequence === 'number' && Number.isSafeInteger(parsed.nextSequence)
      ? parsed.nextSequence
      : 1;
  return { entries, messages, nextSequence };
}
