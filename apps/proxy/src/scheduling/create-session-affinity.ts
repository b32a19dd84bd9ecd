import type { StateStore } from '@qwen-relay/state-store';

/** Which account a conversation sticks to, shared through the state store. */
export interface SessionAffinity {
  /** the account the conversation used last, if it is remembered (at once when cached) */
  lookup(sessionKey: string): string | undefined | Promise<string | undefined>;
  /**
   * the conversation was served by `accountId`: keep it there; undefined when the store already
   * has it (no write due), else the store write
   */
  remember(options: { sessionKey: string; accountId: string }): Promise<void> | undefined;
  /** remembered conversations in this process's cache (for /health) */
  size(): number;
}

interface CachedAffinity {
  accountId: string;
  writtenAtInMs: number;
}

/**
 * Creates the affinity map. An entry lives `ttlInMs` after the conversation's last request
 * (default 1 h, about as long as the upstream keeps a prompt cache warm); it is rewritten at
 * most every quarter of that, so a busy conversation costs one store write per 15 min, not per
 * request. The local cache is bounded (oldest dropped first). Store failures only cost the
 * stickiness, never the request.
 */
export function createSessionAffinity({
  store,
  ttlInMs = 3_600_000,
  maxCachedSessions = 10_000,
  now = Date.now,
}: {
  store: StateStore;
  ttlInMs?: number;
  maxCachedSessions?: number;
  now?: () => number;
}): SessionAffinity {
  const cache = new Map<string, CachedAffinity>();
  const key = (sessionKey: string) => `affinity:${sessionKey}`;
  const cacheSet = (sessionKey: string, entry: CachedAffinity): void => {
    cache.delete(sessionKey);
    cache.set(sessionKey, entry);
    if (cache.size > maxCachedSessions) cache.delete(cache.keys().next().value as string);
  };
  return {
    lookup(sessionKey) {
      const cached = cache.get(sessionKey);
      if (cached !== undefined && now() - cached.writtenAtInMs < ttlInMs) return cached.accountId;
      return lookupInStore(sessionKey, cached);
    },
    remember({ sessionKey, accountId }) {
      const cached = cache.get(sessionKey);
      const nowInMs = now();
      if (cached?.accountId === accountId && nowInMs - cached.writtenAtInMs < ttlInMs / 4) {
        return undefined;
      }
      cacheSet(sessionKey, { accountId, writtenAtInMs: nowInMs });
      return store.set({ key: key(sessionKey), value: accountId, ttlInMs }).catch(() => undefined);
    },
    size: () => cache.size,
  };

  /** a conversation not in the cache (or cached too long ago): the store has the last word */
  async function lookupInStore(
    sessionKey: string,
    cached: CachedAffinity | undefined,
  ): Promise<string | undefined> {
    try {
      const stored = await store.get(key(sessionKey));
      if (stored !== undefined) cacheSet(sessionKey, { accountId: stored, writtenAtInMs: now() });
      return stored;
    } catch {
      return cached?.accountId;
    }
  }
}
