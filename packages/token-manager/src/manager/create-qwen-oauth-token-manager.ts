import { CorruptCredentialsError } from '../errors/corrupt-credentials-error';
import { LockTimeoutError } from '../errors/lock-timeout-error';
import { NeedsReauthError } from '../errors/needs-reauth-error';
import { NoCredentialsError } from '../errors/no-credentials-error';
import { isQwenRelayError } from '../errors/qwen-relay-error';
import { TokenRefreshError } from '../errors/token-refresh-error';
import { statFileSignature } from '../fs/stat-file-signature';
import { acquireFileLock } from '../lock/acquire-file-lock';
import { requestTokenRefresh } from '../oauth/request-token-refresh';
import {
  computeRetryDelayInMs,
  DEFAULT_REFRESH_RETRY_POLICY,
  type RetryPolicy,
} from '../retry/retry-policy';
import { raceWithSignal, sleep } from '../retry/sleep';
import { getLockPath } from '../store/qwen-paths';
import { readCredentialsFile } from '../store/read-credentials-file';
import { writeCredentialsFile } from '../store/write-credentials-file';
import { convertCredentialsToUpstreamToken } from '../token/convert-credentials-to-upstream-token';
import { DEFAULT_REFRESH_BUFFER_IN_MS, isTokenUsable } from '../token/is-token-usable';
import { mergeTokenResponse } from '../token/merge-token-response';
import type {
  AccountStatus,
  InvalidationReason,
  QwenCredentials,
  RefreshReason,
  TokenManagerEvent,
  UpstreamToken,
} from '../types';
import { buildAccountStatus } from './build-account-status';
import type {
  QwenOAuthTokenManager,
  QwenOAuthTokenManagerOptions,
} from './qwen-oauth-token-manager';

type CredentialsProblem = NoCredentialsError | CorruptCredentialsError | NeedsReauthError;

/** How many invalidated access tokens are remembered (only ever a handful are in flight). */
const MAX_REMEMBERED_INVALIDATIONS = 32;
/** Wait before another proactive attempt after one failed transiently. */
const PROACTIVE_RETRY_DELAY_IN_MS = 15_000;
/** setTimeout's largest delay (about 24.8 days). */
const MAX_TIMER_DELAY_IN_MS = 2 ** 31 - 1;

function isCredentialsProblem(error: unknown): error is CredentialsProblem {
  return (
    error instanceof NoCredentialsError ||
    error instanceof CorruptCredentialsError ||
    error instanceof NeedsReauthError
  );
}

/**
 * Creates the token manager of one Qwen OAuth account: validity with a buffer, proactive and
 * single-flight refresh, stale-token-aware invalidation, qwen-code compatible file lock and
 * atomic writes, mtime watching with automatic recovery, and secret-free events.
 */
export function createQwenOAuthTokenManager(
  options: QwenOAuthTokenManagerOptions,
): QwenOAuthTokenManager {
  const {
    accountId,
    credentialsPath,
    lockPath = getLockPath({ credentialsPath }),
    oauthBaseUrl,
    dispatcher,
    refreshBufferInMs = DEFAULT_REFRESH_BUFFER_IN_MS,
    minimumTokenAgeForSuspicionInMs = 60_000,
    proactiveRefresh = true,
    proactiveRefreshJitterInMs = 60_000,
    fileCheckIntervalInMs = 5_000,
    refreshTimeoutInMs = 30_000,
    now = Date.now,
    onEvent,
  } = options;
  const retryPolicy: RetryPolicy = { ...DEFAULT_REFRESH_RETRY_POLICY, ...options.refreshRetry };

  // --- state (main thread only; every mutation happens between awaits) ---
  let credentials: QwenCredentials | undefined;
  let token: UpstreamToken | undefined;
  let tokenObtainedAtInMs = 0;
  let problem: CredentialsProblem | undefined;
  /** the refresh token the server refused; the same file content never leaves needs-reauth */
  let rejectedRefreshToken: string | undefined;
  /** signature of the file version we last read or wrote */
  let fileSignatureKey: string | undefined;
  let fileLoadedOnce = false;
  let lastFileCheckAtInMs = Number.NEGATIVE_INFINITY;
  let fileCheck: Promise<void> | undefined;
  let refreshFlight: Promise<UpstreamToken> | undefined;
  /** bumped by every install and invalidation; a file read that spans a bump is discarded */
  let generation = 0;
  const invalidatedAccessTokens = new Set<string>();
  /** credentials refreshed but not written (disk error): their predecessor is dead on disk */
  let unpersisted: { credentials: QwenCredentials; supersededRefreshToken: string } | undefined;
  let lastRefresh: AccountStatus['lastRefresh'];
  /** our own write is in progress: the watcher must not mistake it for another program's */
  let writingCredentials = false;
  let started: Promise<void> | undefined;
  let proactiveTimer: NodeJS.Timeout | undefined;
  let watchTimer: NodeJS.Timeout | undefined;
  const lifetime = new AbortController();

  function emit(event: TokenManagerEvent): void {
    try {
      onEvent?.(event);
    } catch {
      // a failing listener must not break token handling
    }
  }

  function isUsable(candidate: QwenCredentials | undefined): candidate is QwenCredentials {
    return (
      candidate !== undefined &&
      !invalidatedAccessTokens.has(candidate.access_token) &&
      isTokenUsable({ expiresAtInMs: candidate.expiry_date, nowInMs: now(), refreshBufferInMs })
    );
  }

  function rememberInvalidated(accessToken: string): void {
    invalidatedAccessTokens.add(accessToken);
    if (invalidatedAccessTokens.size > MAX_REMEMBERED_INVALIDATIONS) {
      const oldest = invalidatedAccessTokens.values().next().value;
      if (oldest !== undefined) invalidatedAccessTokens.delete(oldest);
    }
  }

  function setProblem(next: CredentialsProblem): void {
    const isNew = problem?.code !== next.code;
    problem = next;
    if (!isNew) return;
    if (next instanceof NeedsReauthError) {
      emit({ type: 'needs-reauth', accountId, message: next.message });
    } else {
      emit({
        type: 'credentials-unusable',
        accountId,
        errorCode: next.code,
        message: next.message,
      });
    }
  }

  /** Makes `next` the current credentials; `obtainedAtInMs` dates the token for suspicion checks. */
  function install(next: QwenCredentials, obtainedAtInMs: number): UpstreamToken {
    const hadProblem = problem !== undefined;
    credentials = next;
    token = convertCredentialsToUpstreamToken(next);
    tokenObtainedAtInMs = obtainedAtInMs;
    generation += 1;
    problem = undefined;
    rejectedRefreshToken = undefined;
    if (hadProblem) emit({ type: 'recovered', accountId });
    scheduleProactiveRefresh();
    return token;
  }

  async function rememberFileSignature(): Promise<void> {
    fileSignatureKey = (await statFileSignature(credentialsPath))?.key;
  }

  // --- watching the file ---

  /**
   * Re-reads the file when its signature changed. Single flight; throttled unless forced.
   * A read that overlaps an install or invalidation (generation moved) is discarded, so a
   * slow read can never put back a token that a refresh has just replaced.
   */
  function checkFile({ force }: { force: boolean }): Promise<void> {
    if (fileCheck) return fileCheck;
    if (!force && now() - lastFileCheckAtInMs < fileCheckIntervalInMs) return Promise.resolve();
    lastFileCheckAtInMs = now();
    const check = (async () => {
      if (writingCredentials) return;
      const signature = await statFileSignature(credentialsPath).catch(() => undefined);
      if (fileLoadedOnce && signature?.key === fileSignatureKey) return;
      const generationAtRead = generation;
      let fileCredentials: QwenCredentials;
      try {
        fileCredentials = await readCredentialsFile(credentialsPath, { accountId });
      } catch (error) {
        fileLoadedOnce = true;
        fileSignatureKey = signature?.key;
        // with usable credentials in memory we keep serving them; the status shows the problem
        if (isCredentialsProblem(error) && !(problem instanceof NeedsReauthError)) {
          if (error instanceof CorruptCredentialsError || !credentials) setProblem(error);
        }
        return;
      }
      if (generation !== generationAtRead || writingCredentials) return;
      const isFirstLoad = !fileLoadedOnce;
      fileLoadedOnce = true;
      fileSignatureKey = signature?.key;
      if (
        rejectedRefreshToken !== undefined &&
        fileCredentials.refresh_token === rejectedRefreshToken
      ) {
        return; // the same dead credentials (touched or rewritten): still needs a login
      }
      if (
        credentials &&
        fileCredentials.access_token === credentials.access_token &&
        fileCredentials.refresh_token === credentials.refresh_token
      ) {
        if (problem) install(credentials, tokenObtainedAtInMs);
        return;
      }
      // the token's age is the file's age: it was written when the token was issued
      const ageInMs = signature ? Math.max(0, Date.now() - signature.mtimeMs) : 0;
      install(fileCredentials, now() - ageInMs);
      if (!isFirstLoad) {
        emit({
          type: 'token-adopted',
          accountId,
          source: 'file-changed',
          expiresAtInMs: fileCredentials.expiry_date,
        });
        lastRefresh = { atInMs: now(), outcome: 'adopted' };
      }
    })().finally(() => {
      fileCheck = undefined;
    });
    fileCheck = check;
    return check;
  }

  function startWatching(): void {
    if (watchTimer || lifetime.signal.aborted) return;
    watchTimer = setInterval(() => {
      void checkFile({ force: true }).catch(() => undefined);
    }, fileCheckIntervalInMs);
    // watching must never keep a process alive on its own
    watchTimer.unref();
  }

  // --- proactive refresh ---

  function scheduleProactiveRefresh(delayOverrideInMs?: number): void {
    if (proactiveTimer) clearTimeout(proactiveTimer);
    proactiveTimer = undefined;
    if (!proactiveRefresh || lifetime.signal.aborted || !started || !credentials || problem) return;
    const expiresAtInMs = credentials.expiry_date;
    // a lifetime shorter than the buffer would make every fresh token "due": no hot loop
    if (
      Number.isFinite(expiresAtInMs) &&
      expiresAtInMs - tokenObtainedAtInMs <= refreshBufferInMs
    ) {
      return;
    }
    const timeToBufferInMs = Number.isFinite(expiresAtInMs)
      ? expiresAtInMs - refreshBufferInMs - now()
      : 0;
    // jitter spreads processes sharing a file; it never exceeds a fifth of what is left, so a
    // short-lived token is not refreshed again the moment it arrives
    const jitterInMs =
      Math.random() * Math.min(proactiveRefreshJitterInMs, Math.max(0, timeToBufferInMs) / 5);
    const delayInMs = delayOverrideInMs ?? timeToBufferInMs - jitterInMs;
    proactiveTimer = setTimeout(
      runProactiveRefresh,
      Math.min(MAX_TIMER_DELAY_IN_MS, Math.max(0, delayInMs)),
    );
    proactiveTimer.unref();
  }

  function runProactiveRefresh(): void {
    proactiveTimer = undefined;
    const stillUsable = isUsable(credentials);
    const expiresAtInMs = credentials?.expiry_date ?? Number.NaN;
    const reason = now() < expiresAtInMs ? 'proactive' : 'expired';
    joinOrStartRefresh({ reason, force: stillUsable }).catch((error: unknown) => {
      // transient: try again later; needs-reauth and file problems wait for the watcher
      if (error instanceof TokenRefreshError || error instanceof LockTimeoutError) {
        scheduleProactiveRefresh(PROACTIVE_RETRY_DELAY_IN_MS);
      }
    });
  }

  // --- refresh ---

  /*
   * Single-flight invariant: at most one refresh runs per manager. Whoever finds the token
   * unusable joins `refreshFlight` if set, else creates it synchronously (no await between the
   * check and the assignment), so N concurrent callers share one promise and therefore one
   * token-endpoint call and one result, success or error. Across processes the qwen-code lock
   * provides the same guarantee, and the re-read under the lock turns "someone else already
   * refreshed" into an adoption instead of a second rotation.
   */
  function joinOrStartRefresh({
    reason,
    force,
  }: {
    reason: RefreshReason;
    force: boolean;
  }): Promise<UpstreamToken> {
    if (refreshFlight) return refreshFlight;
    const flight: Promise<UpstreamToken> = runRefreshFlight({ reason, force }).finally(() => {
      if (refreshFlight === flight) refreshFlight = undefined;
    });
    refreshFlight = flight;
    return flight;
  }

  async function runRefreshFlight({
    reason,
    force,
  }: {
    reason: RefreshReason;
    force: boolean;
  }): Promise<UpstreamToken> {
    emit({ type: 'refresh-started', accountId, reason });
    const startedAtInMs = now();
    // the token this refresh replaces; anything else found in the file is newer
    const baselineAccessToken = credentials?.access_token;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await refreshUnderLock({ force, startedAtInMs, baselineAccessToken });
      } catch (error) {
        if (lifetime.signal.aborted) throw error;
        const retryable = error instanceof TokenRefreshError && error.retryable === true;
        const delayInMs = retryable
          ? computeRetryDelayInMs({
              attempt,
              policy: retryPolicy,
              ...(error.retryAfterInMs === undefined
                ? {}
                : { retryAfterInMs: error.retryAfterInMs }),
            })
          : 0;
        const willRetry =
          retryable &&
          attempt < retryPolicy.maxAttempts &&
          now() + delayInMs - startedAtInMs < retryPolicy.totalTimeoutInMs;
        const errorCode = isQwenRelayError(error) ? error.code : 'QWEN_RELAY_TOKEN_REFRESH_FAILED';
        const message = error instanceof Error ? error.message : 'Token refresh failed.';
        emit({
          type: 'refresh-failed',
          accountId,
          errorCode,
          retryable: isQwenRelayError(error) && error.retryable === true,
          attempt,
          message,
          ...(willRetry ? { retryInMs: delayInMs } : {}),
        });
        if (!willRetry) {
          lastRefresh = { atInMs: now(), outcome: 'failed', errorCode, message };
          throw error;
        }
        await sleep(delayInMs, lifetime.signal);
      }
    }
  }

  /** One attempt: lock, re-read, adopt or call the token endpoint, persist, release. */
  async function refreshUnderLock({
    force,
    startedAtInMs,
    baselineAccessToken,
  }: {
    force: boolean;
    startedAtInMs: number;
    baselineAccessToken: string | undefined;
  }): Promise<UpstreamToken> {
    const lockRequestedAtInMs = now();
    const lock = await acquireFileLock({
      lockPath,
      signal: lifetime.signal,
      ...options.lock,
      observer: {
        onWaiting: ({ attempt }) => emit({ type: 'lock-waiting', accountId, lockPath, attempt }),
        onStaleRemoved: ({ ageInMs }) =>
          emit({ type: 'lock-stale-removed', accountId, lockPath, ageInMs }),
        onAcquired: () =>
          emit({
            type: 'lock-acquired',
            accountId,
            lockPath,
            waitedInMs: Math.max(0, now() - lockRequestedAtInMs),
          }),
      },
    });
    try {
      let fileCredentials: QwenCredentials;
      try {
        fileCredentials = await readCredentialsFile(credentialsPath, { accountId });
        await rememberFileSignature();
      } catch (error) {
        if (isCredentialsProblem(error)) setProblem(error);
        throw error;
      }
      if (unpersisted && fileCredentials.refresh_token === unpersisted.supersededRefreshToken) {
        // our last write failed and the file still holds the dead predecessor: retry the write
        await writeCredentialsFile({ path: credentialsPath, credentials: unpersisted.credentials });
        fileCredentials = unpersisted.credentials;
        unpersisted = undefined;
        await rememberFileSignature();
      }

      // someone else (a process of ours, qwen-code, a new login) already refreshed: adopt it
      if (isUsable(fileCredentials) && fileCredentials.access_token !== baselineAccessToken) {
        const adopted =
          token && fileCredentials.access_token === credentials?.access_token
            ? token // the watcher got there first
            : install(fileCredentials, now());
        emit({
          type: 'token-adopted',
          accountId,
          source: 'other-process',
          expiresAtInMs: fileCredentials.expiry_date,
        });
        lastRefresh = { atInMs: now(), outcome: 'adopted' };
        return adopted;
      }
      if (!force && token && isUsable(fileCredentials)) return token;
      if (
        rejectedRefreshToken !== undefined &&
        fileCredentials.refresh_token === rejectedRefreshToken
      ) {
        throw problem ?? new NeedsReauthError({ credentialsPath, accountId });
      }

      // deliberately not abortable by close(): once the server may have rotated the refresh
      // token, dropping its answer would log this account out; the timeout bounds the wait
      const outcome = await requestTokenRefresh({
        refreshToken: fileCredentials.refresh_token,
        timeoutInMs: refreshTimeoutInMs,
        ...(oauthBaseUrl ? { oauthBaseUrl } : {}),
        ...(dispatcher ? { dispatcher } : {}),
      });
      if (outcome.kind === 'failed') throw outcome.error;
      if (outcome.kind === 'rejected') {
        // the file is left exactly as it is: a new login (or qwen-code) will replace it
        const needsReauth = new NeedsReauthError({
          credentialsPath,
          accountId,
          upstreamStatus: outcome.upstreamStatus,
          ...(outcome.upstreamErrorCode ? { upstreamErrorCode: outcome.upstreamErrorCode } : {}),
        });
        rejectedRefreshToken = fileCredentials.refresh_token;
        setProblem(needsReauth);
        if (proactiveTimer) clearTimeout(proactiveTimer);
        throw needsReauth;
      }

      const refreshed = mergeTokenResponse({
        previous: fileCredentials,
        response: outcome.response,
        nowInMs: now(),
      });
      // the rotated refresh token reaches the disk before anything else may use it
      writingCredentials = true;
      try {
        await writeCredentialsFile({ path: credentialsPath, credentials: refreshed });
        await rememberFileSignature();
      } catch {
        // keep the only live copy in memory and retry the write on the next refresh
        unpersisted = {
          credentials: refreshed,
          supersededRefreshToken: fileCredentials.refresh_token,
        };
      } finally {
        writingCredentials = false;
      }
      const installed = install(refreshed, now());
      lastRefresh = { atInMs: now(), outcome: 'ok' };
      emit({
        type: 'refresh-succeeded',
        accountId,
        expiresAtInMs: refreshed.expiry_date,
        durationInMs: Math.max(0, now() - startedAtInMs),
      });
      return installed;
    } finally {
      await lock.release();
    }
  }

  // --- public API ---

  function start(): Promise<void> {
    started ??= (async () => {
      await checkFile({ force: true });
      startWatching();
      scheduleProactiveRefresh();
    })();
    return started;
  }

  function currentUsableToken(): UpstreamToken | undefined {
    return token && isUsable(credentials) ? token : undefined;
  }

  function serve(served: UpstreamToken): UpstreamToken {
    emit({ type: 'token-served', accountId, expiresAtInMs: served.expiresAtInMs ?? Number.NaN });
    return served;
  }

  function throwIfClosed(): void {
    if (lifetime.signal.aborted) {
      throw new TokenRefreshError({
        reason: 'closed',
        message: `Token manager of account '${accountId}' is closed.`,
        retryable: false,
        accountId,
      });
    }
  }

  async function getAccessToken({ signal }: { signal?: AbortSignal } = {}): Promise<UpstreamToken> {
    throwIfClosed();
    await start();
    await checkFile({ force: false });
    if (problem instanceof NeedsReauthError) throw problem;
    const usable = currentUsableToken();
    if (usable) return serve(usable);
    if (!credentials) throw problem ?? new NoCredentialsError({ credentialsPath, accountId });

    const previous = token;
    const stillValid = previous?.expiresAtInMs !== undefined && now() < previous.expiresAtInMs;
    try {
      return serve(
        await raceWithSignal(
          joinOrStartRefresh({ reason: stillValid ? 'expiring' : 'expired', force: false }),
          signal,
        ),
      );
    } catch (error) {
      // transient failure inside the buffer: the old token has not expired yet, keep serving it
      const transient = error instanceof TokenRefreshError || error instanceof LockTimeoutError;
      if (
        transient &&
        !signal?.aborted &&
        previous &&
        previous === token &&
        !invalidatedAccessTokens.has(previous.accessToken) &&
        previous.expiresAtInMs !== undefined &&
        now() < previous.expiresAtInMs
      ) {
        return serve(previous);
      }
      throw error;
    }
  }

  async function invalidate(
    invalidToken: UpstreamToken,
    reason: InvalidationReason,
  ): Promise<UpstreamToken> {
    throwIfClosed();
    await start();
    if (problem instanceof NeedsReauthError) throw problem;
    if (!token || invalidToken.accessToken !== token.accessToken) {
      // a stale token: the refresh it asks for has already happened
      emit({ type: 'token-invalidated', accountId, reason, action: 'already-replaced' });
      return getAccessToken();
    }
    if (
      reason === 'suspected-expiry' &&
      !invalidatedAccessTokens.has(invalidToken.accessToken) &&
      now() - tokenObtainedAtInMs < minimumTokenAgeForSuspicionInMs
    ) {
      // a fresh token that "looks expired" is an overloaded upstream, not an expired token
      emit({ type: 'token-invalidated', accountId, reason, action: 'too-young' });
      return getAccessToken();
    }
    if (!invalidatedAccessTokens.has(invalidToken.accessToken)) {
      rememberInvalidated(invalidToken.accessToken);
      generation += 1;
      emit({ type: 'token-invalidated', accountId, reason, action: 'refresh' });
    }
    /*
     * Invariant: the token returned here is never the invalidated one. A refresh that started
     * before this invalidation is joined; it cannot adopt or keep the invalidated token
     * (isUsable excludes it), and if it somehow returns it anyway we start another round.
     */
    for (let round = 0; round < 3; round += 1) {
      const next = await joinOrStartRefresh({ reason: 'invalidated', force: true });
      if (next.accessToken !== invalidToken.accessToken) return next;
    }
    throw new TokenRefreshError({
      reason: 'invalidated-token-returned',
      message: `Token refresh of account '${accountId}' kept returning the rejected token.`,
      retryable: true,
      accountId,
    });
  }

  async function refresh({
    force = false,
    signal,
  }: {
    force?: boolean;
    signal?: AbortSignal;
  } = {}): Promise<UpstreamToken> {
    throwIfClosed();
    await start();
    await checkFile({ force: true });
    if (problem instanceof NeedsReauthError) throw problem;
    if (!credentials) throw problem ?? new NoCredentialsError({ credentialsPath, accountId });
    const usable = currentUsableToken();
    if (usable && !force) return usable;
    return raceWithSignal(joinOrStartRefresh({ reason: 'manual', force }), signal);
  }

  function getStatus(): AccountStatus {
    return buildAccountStatus({
      accountId,
      credentialsPath,
      credentials,
      problem,
      refreshing: refreshFlight !== undefined,
      lastRefresh,
      nowInMs: now(),
      refreshBufferInMs,
    });
  }

  async function close(): Promise<void> {
    lifetime.abort(
      new TokenRefreshError({
        reason: 'closed',
        message: `Token manager of account '${accountId}' is closed.`,
        retryable: false,
        accountId,
      }),
    );
    if (proactiveTimer) clearTimeout(proactiveTimer);
    if (watchTimer) clearInterval(watchTimer);
    proactiveTimer = undefined;
    watchTimer = undefined;
    // waits and backoff abort at once; a token call in progress completes and is persisted,
    // then the lock is released in `finally`
    await Promise.allSettled([refreshFlight, fileCheck, started]);
  }

  return {
    accountId,
    start,
    getAccessToken,
    invalidate,
    refresh,
    getStatus,
    close,
  };
}
