import { hash } from 'node:crypto';

// The key of each recent conversation, by the text it was hashed from: every turn of a
// conversation sends the same system prompt and first message. Only short texts are looked up:
// a look-up hashes the text too (V8's string hash), and past about 150 characters that costs
// more than SHA-256 (Node 20 and 22, fresh strings as a request has them: 50 characters 0.25
// against 0.31 µs; 1,000 1.8 against 1.0; a 9 KB agent prompt 13.7 against 7.2). Held in memory
// only, bounded by count and by the length of a text.
const MAX_REMEMBERED_KEYS = 256;
const MAX_REMEMBERED_SOURCE_LENGTH = 128;
const rememberedKeys = new Map<string, string>();

function hashSource(source: string): string {
  // one-shot hashing: the same digest as createHash().update().digest(), without the objects
  return hash('sha256', source, 'base64url').slice(0, 22);
}

function hashSourceRemembered(source: string): string {
  if (source.length > MAX_REMEMBERED_SOURCE_LENGTH) return hashSource(source);
  let key = rememberedKeys.get(source);
  if (key === undefined) {
    key = hashSource(source);
    if (rememberedKeys.size >= MAX_REMEMBERED_KEYS) {
      // the oldest conversation first (a Map iterates in insertion order)
      rememberedKeys.delete(rememberedKeys.keys().next().value as string);
    }
    rememberedKeys.set(source, key);
  }
  return key;
}

/** How many conversation keys are remembered now (tests). */
export function countRememberedSessionKeys(): number {
  return rememberedKeys.size;
}

/**
 * The conversation a request belongs to, for keeping it on one account (prompt caching is per
 * account): the client's `x-session-id` header, else its `user`, else a hash of the system
 * prompt and the first user message (identical for every turn of one conversation).
 * Undefined when the request carries none of them. The key is a hash: no prompt text is stored
 * or sent anywhere (the last 256 texts up to 128 characters are held in this process's memory to
 * skip hashing them again).
 */
export function deriveSessionKey({
  sessionId,
  user,
  systemText,
  firstUserText,
}: {
  sessionId?: string | undefined;
  user?: string | undefined;
  systemText?: string | undefined;
  firstUserText?: string | undefined;
}): string | undefined {
  const source =
    sessionId !== undefined && sessionId !== ''
      ? `session\u0000${sessionId}`
      : user !== undefined && user !== ''
        ? `user\u0000${user}`
        : systemText || firstUserText
          ? `prompt\u0000${systemText ?? ''}\u0000${firstUserText ?? ''}`
          : undefined;
  if (source === undefined) return undefined;
  return hashSourceRemembered(source);
}
