import { hash } from 'node:crypto';

/**
 * The conversation a request belongs to, for keeping it on one account (prompt caching is per
 * account): the client's `x-session-id` header, else its `user`, else a hash of the system
 * prompt and the first user message (identical for every turn of one conversation).
 * Undefined when the request carries none of them. The key is a hash: no prompt text is kept.
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
  // one-shot hashing: the same digest as createHash().update().digest(), without the objects
  return hash('sha256', source, 'base64url').slice(0, 22);
}
