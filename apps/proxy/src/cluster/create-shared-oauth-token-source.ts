import { randomUUID } from 'node:crypto';
import {
  replaceSecret,
  type SharedTokenEvent,
  type TokenSource,
  type UpstreamToken,
} from '@qwen-relay/contracts';
import { holdLease, type StateStore } from '@qwen-relay/state-store';
import {
  NeedsReauthError,
  type QwenCredentials,
  TokenRefreshError,
  writeCredentialsFile,
} from '@qwen-relay/token-manager';
import {
  convertCredentialsToUpstreamToken,
  isTokenUsable,
  mergeTokenResponse,
  requestTokenRefresh,
} from '@qwen-relay/token-manager/internal';
import type { Dispatcher } from 'undici';
import {
  hashToken,
  refreshLeaseKey,
  type SharedCredentialsRecord,
  safeParseSharedCredentialsRecord,
  sharedCredentialsChannel,
  sharedCredentialsKey,
} from './shared-credentials-record';

/** What /health and `cluster status` show of a shared account (no secret). */
export interface SharedAccountStatus {
  accountId: string;
  state: 'ok' | 'refreshing' | 'expired' | 'needs-reauth' | 'no-credentials' | 'store-unavailable';
  expiresAtInMs?: number;
  version?: number;
  lastRefresh?: { atInMs: number; outcome: 'ok' | 'failed' | 'adopted'; message?: string };
  message?: string;
}

/** A token source whose credentials live in the cluster's state store. */
export interface SharedOAuthTokenSource extends TokenSource {
  status(): SharedAccountStatus;
  /** reads the store now (start-up, and after `cluster import`) */
  reload(): Promise<void>;
  close(): Promise<void>;
}

/** Options of {@link createSharedOAuthTokenSource}. */
export interface SharedOAuthTokenSourceOptions {
  accountId: string;
  store: StateStore;
  /** this replica's id (lease owner and `updatedBy`) */
  replicaId: string;
  oauthBaseUrl?: string;
  dispatcher?: Dispatcher;
  /** lease length, longer than a token call (default 45 s; REDIS_LEASE_MS) */
  leaseTtlInMs?: number;
  /** how long a request waits for another replica's refresh before a 503 (default 30 s) */
  adoptWaitInMs?: number;
  refreshBufferInMs?: number;
  /**
   * spread of the proactive refresh after `expiry - refreshBufferInMs` (default up to 1 s), so
   * that the replicas' timers do not all ask for the lease at the same instant
   */
  proactiveJitterInMs?: number;
  /** token endpoint timeout (default 30 s) */
  refreshTimeoutInMs?: number;
  /** mirror each new pair to this qwen-code credentials file (single host interop) */
  mirrorPath?: string;
  now?: () => number;
  onEvent?: (event: SharedTokenEvent) => void;
}

const POLL_INTERVAL_IN_MS = 250;
/** a failed proactive refresh (store down, upstream error) is tried again this much later */
const PROACTIVE_RETRY_IN_MS = 5_000;
/** setTimeout's ceiling; a longer wait fires early, finds the token usable and waits again */
const MAX_TIMER_IN_MS = 2 ** 31 - 1;

/**
 * Creates the token source of one OAuth account in cluster mode. Invariants:
 * - the token endpoint is called only by the holder of the account's refresh lease, and the
 *   holder re-reads the store under the lease first: when another replica already refreshed
 *   (the stored access token differs from the one that failed or expired) it adopts instead;
 * - the new pair is written to the store (compare-and-set on the record it read) before it
 *   is used or announced, so a crash right after the token call loses nothing that could be
 *   kept; then it is published and every replica installs it at once;
 * - a replica that does not get the lease never spends the refresh token: it waits for the
 *   publication (or for the lease to expire, when its holder died) and answers 503 with
 *   Retry-After when the wait runs out;
 * - without the store (Redis down) the current token is served while it is valid and no
 *   refresh is attempted;
 * - an idle cluster keeps its token fresh: each replica holding a record arms a timer for the
 *   moment it stops being usable (`expiry - refreshBufferInMs`, plus jitter) and then runs the
 *   same lease-guarded refresh a request would, so one replica refreshes and the others adopt
 *   its publication. Without it a replica started or left idle past the expiry would report
 *   not-ready until a request came, and a load balancer sends none to a not-ready replica.
 */
export function createSharedOAuthTokenSource({
  accountId,
  store,
  replicaId,
  oauthBaseUrl,
  dispatcher,
  leaseTtlInMs = 45_000,
  adoptWaitInMs = 30_000,
  refreshBufferInMs = 30_000,
  proactiveJitterInMs = 1_000,
  refreshTimeoutInMs = 30_000,
  mirrorPath,
  now = Date.now,
  onEvent,
}: SharedOAuthTokenSourceOptions): SharedOAuthTokenSource {
  const key = sharedCredentialsKey(accountId);
  let current: { record: SharedCredentialsRecord; token: UpstreamToken } | undefined;
  let flight: Promise<UpstreamToken> | undefined;
  let lastRefresh: SharedAccountStatus['lastRefresh'];
  let storeProblem: string | undefined;
  let waiters: Array<() => void> = [];
  let unsubscribe: (() => Promise<void>) | undefined;
  let closed = false;
  let proactiveTimer: ReturnType<typeof setTimeout> | undefined;

  const emit = (event: SharedTokenEvent): void => {
    try {
      onEvent?.(event);
    } catch {
      // a listener's bug never breaks a refresh
    }
  };
  const wakeWaiters = (): void => {
    const pending = waiters;
    waiters = [];
    for (const wake of pending) wake();
  };

  const swapHeldSecrets = (next: QwenCredentials | undefined): void => {
    const previous = current?.record.credentials;
    replaceSecret({ previous: previous?.access_token, next: next?.access_token });
    replaceSecret({ previous: previous?.refresh_token, next: next?.refresh_token });
  };
  const install = (record: SharedCredentialsRecord, source?: 'publication' | 'store'): void => {
    if (current !== undefined && current.record.version >= record.version) return;
    // the tokens held are redacted by value from every message and log line of the process
    swapHeldSecrets(record.credentials);
    current = { record, token: convertCredentialsToUpstreamToken(record.credentials) };
    if (source !== undefined) {
      lastRefresh = { atInMs: now(), outcome: 'adopted' };
      emit({ type: 'shared-token-adopted', accountId, version: record.version, source });
    }
    scheduleProactiveRefresh(record);
    if (mirrorPath !== undefined) {
      // qwen-code on this host reads the file; a failed mirror never blocks the cluster
      void writeCredentialsFile({ path: mirrorPath, credentials: record.credentials }).catch(
        () => undefined,
      );
    }
    wakeWaiters();
  };

  const armProactiveTimer = (delayInMs: number): void => {
    if (proactiveTimer !== undefined) clearTimeout(proactiveTimer);
    proactiveTimer = undefined;
    if (closed) return;
    proactiveTimer = setTimeout(
      runProactiveRefresh,
      Math.min(MAX_TIMER_IN_MS, Math.max(0, delayInMs)),
    );
    proactiveTimer.unref?.();
  };

  /** Arms the timer for the moment `record` stops being usable; none for a dead login. */
  function scheduleProactiveRefresh(record: SharedCredentialsRecord): void {
    const expiresAtInMs = record.credentials.expiry_date;
    const deadLogin =
      record.needsReauth?.refreshTokenHash === hashToken(record.credentials.refresh_token);
    if (deadLogin || typeof expiresAtInMs !== 'number' || !Number.isFinite(expiresAtInMs)) {
      if (proactiveTimer !== undefined) clearTimeout(proactiveTimer);
      proactiveTimer = undefined;
      return;
    }
    const jitterInMs = Math.floor(Math.random() * Math.max(0, proactiveJitterInMs));
    armProactiveTimer(expiresAtInMs - refreshBufferInMs - now() + jitterInMs);
  }

  function runProactiveRefresh(): void {
    proactiveTimer = undefined;
    if (closed || current === undefined) return;
    if (isUsable(current.record, undefined)) {
      scheduleProactiveRefresh(current.record);
      return;
    }
    refresh(undefined).then(
      () => undefined,
      (error: unknown) => {
        // a dead login waits for a new import (its record arms no timer); anything else retries
        if (!(error instanceof NeedsReauthError)) armProactiveTimer(PROACTIVE_RETRY_IN_MS);
      },
    );
  }

  const readRecord = async (): Promise<{
    raw: string | undefined;
    record: SharedCredentialsRecord | undefined;
  }> => {
    try {
      const raw = await store.get(key);
      storeProblem = undefined;
      return { raw, record: safeParseSharedCredentialsRecord(raw) };
    } catch (error) {
      storeProblem = error instanceof Error ? error.message : String(error);
      throw new TokenRefreshError({
        reason: 'state-store-unavailable',
        message: `Account '${accountId}': the cluster state store is unavailable (${storeProblem}); tokens are refreshed only under the cluster lease, so this request waits for Redis to come back.`,
        retryable: true,
        accountId,
        retryAfterInMs: 5_000,
        cause: error,
      });
    }
  };

  const isUsable = (record: SharedCredentialsRecord, rejected: string | undefined): boolean =>
    record.credentials.access_token !== rejected &&
    isTokenUsable({
      expiresAtInMs: record.credentials.expiry_date,
      nowInMs: now(),
      refreshBufferInMs,
    });

  const needsReauthError = (record: SharedCredentialsRecord): NeedsReauthError =>
    new NeedsReauthError({
      accountId,
      credentialsPath: `the cluster store (${key})`,
      ...(record.needsReauth?.upstreamErrorCode === undefined
        ? {}
        : { upstreamErrorCode: record.needsReauth.upstreamErrorCode }),
    });

  const waitForChange = (untilInMs: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(0, Math.min(POLL_INTERVAL_IN_MS, untilInMs - now())));
      function done(): void {
        clearTimeout(timer);
        waiters = waiters.filter((waiter) => waiter !== done);
        resolve();
      }
      waiters.push(done);
    });

  /** Under the lease: re-read, adopt or call the token endpoint, write (CAS), publish. */
  const refreshUnderLease = async (
    rejected: string | undefined,
  ): Promise<UpstreamToken | undefined> => {
    const lease = await holdLease({
      store,
      key: refreshLeaseKey(accountId),
      ownerId: `${replicaId}:${randomUUID()}`,
      ttlInMs: leaseTtlInMs,
    });
    if (lease === undefined) return undefined;
    const startedAtInMs = now();
    try {
      const { raw, record } = await readRecord();
      if (record === undefined) throw noCredentialsError();
      if (isUsable(record, rejected)) {
        install(record, 'store');
        return current!.token;
      }
      if (record.needsReauth?.refreshTokenHash === hashToken(record.credentials.refresh_token)) {
        throw needsReauthError(record);
      }
      emit({ type: 'shared-refresh-started', accountId, replicaId });
      const outcome = await requestTokenRefresh({
        refreshToken: record.credentials.refresh_token,
        timeoutInMs: refreshTimeoutInMs,
        ...(oauthBaseUrl === undefined ? {} : { oauthBaseUrl }),
        ...(dispatcher === undefined ? {} : { dispatcher }),
      });
      if (outcome.kind === 'rejected') {
        const marked: SharedCredentialsRecord = {
          ...record,
          version: record.version + 1,
          updatedAtInMs: now(),
          updatedBy: replicaId,
          needsReauth: {
            refreshTokenHash: hashToken(record.credentials.refresh_token),
            atInMs: now(),
            ...(outcome.upstreamErrorCode === undefined
              ? {}
              : { upstreamErrorCode: outcome.upstreamErrorCode }),
          },
        };
        await store
          .compareAndSet({ key, expected: raw, value: JSON.stringify(marked) })
          .catch(() => false);
        emit({ type: 'shared-needs-reauth', accountId });
        lastRefresh = { atInMs: now(), outcome: 'failed', message: 'refresh token rejected' };
        throw needsReauthError(marked);
      }
      if (outcome.kind === 'failed') {
        lastRefresh = { atInMs: now(), outcome: 'failed', message: outcome.error.message };
        emit({ type: 'shared-refresh-failed', accountId, message: outcome.error.message });
        throw outcome.error;
      }
      const { needsReauth: _previousMark, ...rest } = record;
      const next: SharedCredentialsRecord = {
        ...rest,
        version: record.version + 1,
        credentials: mergeTokenResponse({
          previous: record.credentials,
          response: outcome.response,
          nowInMs: now(),
        }) as QwenCredentials,
        updatedAtInMs: now(),
        updatedBy: replicaId,
      };
      // persist first: before the pair is used or announced
      const written = await store.compareAndSet({
        key,
        expected: raw,
        value: JSON.stringify(next),
      });
      if (!written) {
        // only possible when our lease expired mid-call and someone else wrote: theirs is newer
        const latest = (await readRecord()).record;
        if (latest !== undefined && isUsable(latest, rejected)) {
          install(latest, 'store');
          return current!.token;
        }
        throw new TokenRefreshError({
          reason: 'cluster-write-conflict',
          message: `Account '${accountId}': the refreshed credentials could not be stored (the record changed during the refresh).`,
          retryable: true,
          accountId,
        });
      }
      install(next);
      lastRefresh = { atInMs: now(), outcome: 'ok' };
      emit({
        type: 'shared-refresh-succeeded',
        accountId,
        version: next.version,
        durationInMs: now() - startedAtInMs,
      });
      await store
        .publish({ channel: sharedCredentialsChannel(accountId), message: String(next.version) })
        .catch(() => undefined);
      return current!.token;
    } finally {
      await lease.release();
    }
  };

  const noCredentialsError = (): TokenRefreshError =>
    new TokenRefreshError({
      reason: 'no-credentials',
      message: `Account '${accountId}' has no credentials in the cluster store; run \`qwen-relay cluster import\`.`,
      retryable: false,
      accountId,
    });

  const runFlight = async (rejected: string | undefined): Promise<UpstreamToken> => {
    const deadline = now() + adoptWaitInMs;
    for (;;) {
      const { record } = await readRecord();
      if (record === undefined) throw noCredentialsError();
      if (isUsable(record, rejected)) {
        install(record, 'store');
        return current!.token;
      }
      if (record.needsReauth?.refreshTokenHash === hashToken(record.credentials.refresh_token)) {
        install(record);
        throw needsReauthError(record);
      }
      const refreshed = await refreshUnderLease(rejected);
      if (refreshed !== undefined) return refreshed;
      // another replica holds the lease: wait for its publication, or for the lease to lapse
      if (now() >= deadline) {
        throw new TokenRefreshError({
          reason: 'cluster-refresh-pending',
          message: `Account '${accountId}': another replica is refreshing the token and has not finished within ${adoptWaitInMs} ms.`,
          retryable: true,
          accountId,
          retryAfterInMs: 2_000,
        });
      }
      await waitForChange(deadline);
    }
  };

  const refresh = (rejected: string | undefined): Promise<UpstreamToken> => {
    flight ??= runFlight(rejected).finally(() => {
      flight = undefined;
    });
    return flight;
  };

  /*
   * Resynchronisation: a Redis that restarted without persistence has lost the record. The
   * replicas that hold the pair write it back (compare-and-set on "absent", so only the first
   * wins and nothing newer is ever overwritten); the others find it there.
   */
  const restoreRecord = async (): Promise<void> => {
    if (current === undefined) return;
    const written = await store
      .compareAndSet({ key, expected: undefined, value: JSON.stringify(current.record) })
      .catch(() => false);
    if (written)
      emit({ type: 'shared-record-restored', accountId, version: current.record.version });
  };
  const stopWatchingStatus = store.onStatusChange((status) => {
    if (status.available) void restoreRecord();
  });

  void store
    .subscribe({
      channel: sharedCredentialsChannel(accountId),
      listener: () => {
        void readRecord()
          .then(({ record }) => {
            if (record !== undefined) install(record, 'publication');
          })
          .catch(() => undefined);
      },
    })
    .then((stop) => {
      if (closed) void stop();
      else unsubscribe = stop;
    })
    .catch(() => undefined);

  /** the installed token while it is usable: served without asking the store */
  function readyToken(): UpstreamToken | undefined {
    const token = current?.token;
    return token !== undefined && current !== undefined && isUsable(current.record, undefined)
      ? token
      : undefined;
  }

  return {
    accountId,
    async getAccessToken() {
      return readyToken() ?? refresh(undefined);
    },
    peekAccessToken: readyToken,
    async invalidate(token) {
      if (current !== undefined && current.token.accessToken !== token.accessToken) {
        return current.token;
      }
      return refresh(token.accessToken);
    },
    status() {
      const status: SharedAccountStatus = { accountId, state: 'ok' };
      if (current === undefined)
        status.state = storeProblem ? 'store-unavailable' : 'no-credentials';
      else {
        const { record } = current;
        status.version = record.version;
        if (Number.isFinite(record.credentials.expiry_date))
          status.expiresAtInMs = record.credentials.expiry_date;
        if (record.needsReauth?.refreshTokenHash === hashToken(record.credentials.refresh_token)) {
          status.state = 'needs-reauth';
          status.message =
            'refresh token rejected: log in again and run `qwen-relay cluster import`';
        } else if (flight !== undefined) status.state = 'refreshing';
        else if (!isUsable(record, undefined))
          status.state = storeProblem ? 'store-unavailable' : 'expired';
      }
      if (storeProblem !== undefined && status.message === undefined) status.message = storeProblem;
      if (lastRefresh !== undefined) status.lastRefresh = lastRefresh;
      return status;
    },
    async reload() {
      const { record } = await readRecord();
      if (record !== undefined) install(record, current === undefined ? undefined : 'store');
    },
    async close() {
      if (!closed) swapHeldSecrets(undefined);
      closed = true;
      if (proactiveTimer !== undefined) clearTimeout(proactiveTimer);
      proactiveTimer = undefined;
      stopWatchingStatus();
      wakeWaiters();
      await unsubscribe?.();
    },
  };
}
