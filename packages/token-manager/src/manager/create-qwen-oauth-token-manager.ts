import { dirname } from 'node:path';
import {
  type InvalidationReason,
  isQwenRelayError,
  type RefreshReason,
  raceWithSignal,
  redactSecrets,
  registerSecret,
  replaceSecret,
  type TokenManagerEvent,
  type UpstreamToken,
  unregisterSecret,
} from '@qwen-relay/contracts';
import { CorruptCredentialsError } from '../errors/corrupt-credentials-error';
import { CredentialsDirUnwritableError } from '../errors/credentials-dir-unwritable-error';
import { LockTimeoutError } from '../errors/lock-timeout-error';
import { NeedsReauthError } from '../errors/needs-reauth-error';
import { NoCredentialsError } from '../errors/no-credentials-error';
import { TokenRefreshError } from '../errors/token-refresh-error';
import { checkDirectoryWritable } from '../fs/check-directory-writable';
import { isErrnoException } from '../fs/is-errno-exception';
import { statFileSignature } from '../fs/stat-file-signature';
import { acquireFileLock, type FileLock } from '../lock/acquire-file-lock';
import { requestTokenRefresh } from '../oauth/request-token-refresh';
import {
  computeRetryDelayInMs,
  DEFAULT_REFRESH_RETRY_POLICY,
  type RefreshRetryPolicy,
} from '../retry/refresh-retry-policy';
import { sleep } from '../retry/sleep';
import { getLockPath } from '../store/qwen-paths';
import { readCredentialsFile } from '../store/read-credentials-file';
import { findInterruptedWrite, recoverInterruptedWrite } from '../store/recover-interrupted-write';
import { writeCredentialsFile } from '../store/write-credentials-file';
import { convertCredentialsToUpstreamToken } from '../token/convert-credentials-to-upstream-token';
import { DEFAULT_REFRESH_BUFFER_IN_MS, isTokenUsable } from '../token/is-token-usable';
import { mergeTokenResponse } from '../token/merge-token-response';
import { traceLockWait, traceTokenRefresh } from '../tracing/trace-token-work';
import type { AccountStatus, QwenCredentials } from '../types';
import { buildAccountStatus, type UnsavedCredentialsInfo } from './build-account-status';
import { createCoolOffError } from './create-cool-off-error';
import { createFileWatcher } from './create-file-watcher';
import { type CoolOff, decideCoolOff, decideCoolOffAfterFailure } from './decide-cool-off';
import { decideFileChange } from './decide-file-change';
import { decideInvalidation } from './decide-invalidation';
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
/** Start-up recovery of an interrupted write waits this long for the lock, then leaves it to the next refresh. */
const START_RECOVERY_LOCK_WAIT_IN_MS = 5_000;
/** The last write attempt on close() waits this long for the lock. */
const CLOSE_PERSIST_LOCK_WAIT_IN_MS = 5_000;

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
    refreshCoolOffInMs = 15_000,
    recoverInterruptedWrites = true,
    now = Date.now,
    onEvent,
  } = options;
  const persistRetry = {
    initialDelayInMs: options.persistRetry?.initialDelayInMs ?? 1_000,
    maxDelayInMs: options.persistRetry?.maxDelayInMs ?? 60_000,
  };
  const retryPolicy: RefreshRetryPolicy = {
    ...DEFAULT_REFRESH_RETRY_POLICY,
    ...options.refreshRetry,
  };

  // --- state (main thread only; every mutation happens between awaits) ---
  let credentials: QwenCredentials | undefined;
  let token: UpstreamToken | undefined;
  /** best estimate of the token's issue time (file mtime for loaded tokens): proactive schedule only */
  let tokenObtainedAtInMs = 0;
  /**
   * 'suspected-expiry' is ignored before this time. Only a refresh we made, or observed under
   * the lock, moves it (to then + minimum age): a token read from disk has an unknown age (a
   * fresh file may hold a token the upstream already considers expired), while a token that
   * was just issued and "looks expired" means an overloaded upstream, not an expired token.
   */
  let suspicionShieldUntilInMs = Number.NEGATIVE_INFINITY;
  /** the current token was issued by a refresh we made or observed under the lock */
  let tokenFromObservedRefresh = false;
  /**
   * Set when a refresh flight failed transiently: until `untilInMs`, while the file keeps the
   * signature it had then, callers get the failure at once instead of a new flight, because
   * bulk refreshes are what triggers the token endpoint's WAF.
   */
  let coolOff: CoolOff | undefined;
  let problem: CredentialsProblem | undefined;
  /** the refresh token the server refused; the same file content never leaves needs-reauth */
  let rejectedRefreshToken: string | undefined;
  /** signature of the file version we last read or wrote */
  let fileSignatureKey: string | undefined;
  let fileLoadedOnce = false;
  let refreshFlight: Promise<UpstreamToken> | undefined;
  /** bumped by every install and invalidation; a file read that spans a bump is discarded */
  let generation = 0;
  const invalidatedAccessTokens = new Set<string>();
  /**
   * Credentials refreshed but not written (disk full, permissions): their predecessor on disk
   * is dead, so this is the only live copy. Retried with backoff, before every refresh and
   * once more on close(); visible as the `unsaved` state.
   */
  let unpersisted:
    | ({ credentials: QwenCredentials; supersededRefreshToken: string } & UnsavedCredentialsInfo)
    | undefined;
  let persistRetryTimer: NodeJS.Timeout | undefined;
  /** the credentials directory refused to let us create the lock (cleared once a lock is taken) */
  let storageProblem: CredentialsDirUnwritableError | undefined;
  let lastRefresh: AccountStatus['lastRefresh'];
  /** our own write is in progress: the watcher must not mistake it for another program's */
  let writingCredentials = false;
  let started: Promise<void> | undefined;
  /** start() has completed: a token may be served without awaiting it */
  let startedUp = false;
  let proactiveTimer: NodeJS.Timeout | undefined;
  const lifetime = new AbortController();
  /** close() dropped the registrations of the held tokens (close may be called twice) */
  let secretsReleased = false;

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

  /**
   * Makes `next` the current credentials. `obtainedAtInMs` dates the token for the proactive
   * schedule; `observedRefresh` says that we refreshed it (or saw it refreshed under the lock),
   * which protects it, and the manager, from 'suspected-expiry' for the minimum age.
   */
  function install(
    next: QwenCredentials,
    { obtainedAtInMs, observedRefresh }: { obtainedAtInMs: number; observedRefresh: boolean },
  ): UpstreamToken {
    const hadProblem = problem !== undefined;
    // the tokens we hold are redacted by value from every message and log line of the process
    replaceSecret({ previous: credentials?.access_token, next: next.access_token });
    replaceSecret({ previous: credentials?.refresh_token, next: next.refresh_token });
    credentials = next;
    token = convertCredentialsToUpstreamToken(next);
    tokenObtainedAtInMs = obtainedAtInMs;
    tokenFromObservedRefresh = observedRefresh;
    if (observedRefresh) {
      suspicionShieldUntilInMs = obtainedAtInMs + minimumTokenAgeForSuspicionInMs;
      coolOff = undefined;
    }
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
   * Re-reads the file when its signature changed (the watcher runs it single-flight, throttled
   * unless forced). A read that overlaps an install or invalidation (generation moved) is
   * discarded, so a slow read can never put back a token that a refresh has just replaced.
   */
  async function readChangedFile(): Promise<void> {
    if (writingCredentials) return;
    if (storageProblem) await probeDirectoryWritable();
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
    const decision = decideFileChange({
      fileCredentials,
      current: credentials,
      rejectedRefreshToken,
      unsavedSupersededRefreshToken: unpersisted?.supersededRefreshToken,
    });
    if (decision.action === 'ignore') return;
    if (decision.supersedesUnsaved) resolveUnpersisted('superseded');
    if (decision.action === 'keep') {
      if (problem && credentials) {
        install(credentials, {
          obtainedAtInMs: tokenObtainedAtInMs,
          observedRefresh: tokenFromObservedRefresh,
        });
      }
      return;
    }
    // the mtime estimates when the token was issued (for the proactive schedule); it is not
    // trusted as the token's age for suspicion: a fresh file may hold an expired token
    const ageInMs = signature ? Math.max(0, Date.now() - signature.mtimeMs) : 0;
    install(fileCredentials, { obtainedAtInMs: now() - ageInMs, observedRefresh: false });
    if (!isFirstLoad) {
      emit({
        type: 'token-adopted',
        accountId,
        source: 'file-changed',
        expiresAtInMs: fileCredentials.expiry_date,
      });
      lastRefresh = { atInMs: now(), outcome: 'adopted' };
    }
  }

  const fileWatcher = createFileWatcher({
    intervalInMs: fileCheckIntervalInMs,
    now,
    check: readChangedFile,
  });
  const checkFile = (options: { force: boolean }): Promise<void> => fileWatcher.check(options);

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
    // proactive retries keep their own schedule, cool-off or not
    joinOrStartRefresh({ reason, force: stillUsable, bypassCoolOff: true }).catch(
      (error: unknown) => {
        // transient: try again later; needs-reauth and file problems wait for the watcher
        if (
          error instanceof TokenRefreshError ||
          error instanceof LockTimeoutError ||
          error instanceof CredentialsDirUnwritableError
        ) {
          scheduleProactiveRefresh(PROACTIVE_RETRY_DELAY_IN_MS);
        }
      },
    );
  }

  // --- the credentials directory and our writes ---

  function noteStorageProblem(next: CredentialsDirUnwritableError): void {
    const isNew = storageProblem?.message !== next.message;
    storageProblem = next;
    if (!isNew) return;
    emit({
      type: 'credentials-dir-unwritable',
      accountId,
      directory: next.directory,
      errnoCode: next.errnoCode,
      message: next.message,
    });
  }

  /** One access(W_OK) of the lock's directory: says early (and clears) what a refresh would hit. */
  async function probeDirectoryWritable(): Promise<void> {
    const directory = dirname(lockPath);
    const errnoCode = await checkDirectoryWritable(directory);
    if (errnoCode === undefined) {
      storageProblem = undefined;
      return;
    }
    // a missing directory is a missing login (no-credentials), not a permissions problem
    if (errnoCode === 'ENOENT') return;
    noteStorageProblem(
      new CredentialsDirUnwritableError({ directory, path: lockPath, errnoCode, accountId }),
    );
  }

  /** qwen-code's lock, with events; an unwritable directory becomes the `unwritable` state. */
  async function takeLock({
    maxWaitInMs,
    abortable = true,
  }: {
    maxWaitInMs?: number;
    /** false for the last write on close(), which runs after the lifetime was aborted */
    abortable?: boolean;
  } = {}): Promise<FileLock> {
    const lockRequestedAtInMs = now();
    try {
      const lock = await traceLockWait({
        accountId,
        work: (span) =>
          acquireFileLock({
            lockPath,
            ...(abortable ? { signal: lifetime.signal } : {}),
            ...options.lock,
            ...(maxWaitInMs === undefined ? {} : { maxWaitInMs }),
            observer: {
              onWaiting: ({ attempt }) => {
                span.onWaiting();
                emit({ type: 'lock-waiting', accountId, lockPath, attempt });
              },
              onStaleRemoved: ({ ageInMs, reason, ownerPid }) => {
                span.onStaleRemoved();
                emit({
                  type: 'lock-stale-removed',
                  accountId,
                  lockPath,
                  ageInMs,
                  reason,
                  ...(ownerPid === undefined ? {} : { ownerPid }),
                });
              },
              onAcquired: () =>
                emit({
                  type: 'lock-acquired',
                  accountId,
                  lockPath,
                  waitedInMs: Math.max(0, now() - lockRequestedAtInMs),
                }),
            },
          }),
      });
      storageProblem = undefined;
      return lock;
    } catch (error) {
      if (error instanceof CredentialsDirUnwritableError) {
        const withAccount = new CredentialsDirUnwritableError({
          directory: error.directory,
          path: lockPath,
          errnoCode: error.errnoCode,
          accountId,
          cause: error.cause,
        });
        noteStorageProblem(withAccount);
        throw withAccount;
      }
      throw error;
    }
  }

  /** Adopts a leftover temp file of an interrupted write; only call while holding the lock. */
  async function recoverInterruptedWriteUnderLock(): Promise<void> {
    if (!recoverInterruptedWrites) return;
    const recovery = await recoverInterruptedWrite({ credentialsPath }).catch(() => undefined);
    if (!recovery) return;
    emit({ type: 'interrupted-write-recovered', accountId, ...recovery });
  }

  function computePersistRetryDelayInMs(attempt: number): number {
    return Math.min(
      persistRetry.maxDelayInMs,
      persistRetry.initialDelayInMs * 2 ** Math.max(0, attempt - 1),
    );
  }

  function resolveUnpersisted(outcome: 'saved' | 'superseded'): void {
    if (!unpersisted) return;
    const { attempts } = unpersisted;
    unpersisted = undefined;
    if (persistRetryTimer) clearTimeout(persistRetryTimer);
    persistRetryTimer = undefined;
    emit({ type: 'persist-recovered', accountId, credentialsPath, outcome, attempts });
  }

  /** A failed write is never silent: event (an ERROR log line), `unsaved` state, retry timer. */
  function recordPersistFailure({
    refreshed,
    diskRefreshToken,
    error,
    final = false,
  }: {
    refreshed: QwenCredentials;
    diskRefreshToken: string;
    error: unknown;
    final?: boolean;
  }): void {
    const errnoCode = isErrnoException(error)
      ? (error.code ?? 'EIO')
      : isQwenRelayError(error)
        ? error.code
        : 'EIO';
    // the refreshed tokens may not be installed (registered) yet: redact them by value too
    const secrets = [refreshed.access_token, refreshed.refresh_token, diskRefreshToken];
    for (const secret of secrets) registerSecret(secret);
    let cause: string;
    try {
      cause = redactSecrets(error instanceof Error ? error.message : String(error));
    } finally {
      for (const secret of secrets) unregisterSecret(secret);
    }
    const attempts = (unpersisted?.attempts ?? 0) + 1;
    const message =
      `Could not save the refreshed credentials to ${credentialsPath} (${errnoCode}: ${cause}). ` +
      'They are kept in memory and the write is retried; fix the cause (disk space, permissions) ' +
      'before this process stops, or the next start needs a new login.';
    unpersisted = {
      credentials: refreshed,
      supersededRefreshToken: diskRefreshToken,
      sinceInMs: unpersisted?.sinceInMs ?? now(),
      errnoCode,
      attempts,
      message,
    };
    const retryInMs = final ? undefined : computePersistRetryDelayInMs(attempts);
    emit({
      type: 'persist-failed',
      accountId,
      credentialsPath,
      errnoCode,
      message,
      attempt: attempts,
      ...(retryInMs === undefined ? {} : { retryInMs }),
    });
    if (retryInMs !== undefined) schedulePersistRetry(retryInMs);
  }

  function schedulePersistRetry(delayInMs: number): void {
    if (persistRetryTimer) clearTimeout(persistRetryTimer);
    persistRetryTimer = undefined;
    if (lifetime.signal.aborted) return;
    persistRetryTimer = setTimeout(() => {
      persistRetryTimer = undefined;
      void retryPersist({ final: false });
    }, delayInMs);
    // the last try happens in close(); the timer alone must not keep a process alive
    persistRetryTimer.unref();
  }

  /**
   * Writes `refreshed` (built from the file read under the lock). The first thing done with a
   * new pair: before it is installed in memory and before any waiting caller gets it.
   */
  async function persistRefreshed({
    refreshed,
    diskRefreshToken,
    final = false,
  }: {
    refreshed: QwenCredentials;
    /** the refresh token the file holds now (what a failed write leaves there) */
    diskRefreshToken: string;
    final?: boolean;
  }): Promise<boolean> {
    writingCredentials = true;
    try {
      await writeCredentialsFile({
        path: credentialsPath,
        credentials: refreshed,
        keepFieldsFromFile: false,
      });
      await rememberFileSignature();
      resolveUnpersisted('saved');
      return true;
    } catch (error) {
      recordPersistFailure({ refreshed, diskRefreshToken, error, final });
      return false;
    } finally {
      writingCredentials = false;
    }
  }

  /**
   * Retries an earlier failed write under the lock. Only a file that still holds the dead
   * predecessor is overwritten; a file someone else replaced meanwhile (a login, qwen-code)
   * wins, and a missing or corrupt one is left as it is (a logout is not undone).
   */
  async function retryPersist({ final }: { final: boolean }): Promise<void> {
    if (!unpersisted) return;
    let lock: FileLock;
    try {
      lock = await takeLock(
        final ? { maxWaitInMs: CLOSE_PERSIST_LOCK_WAIT_IN_MS, abortable: false } : {},
      );
    } catch (error) {
      const pending = unpersisted;
      if (pending && !(lifetime.signal.aborted && !final)) {
        recordPersistFailure({
          refreshed: pending.credentials,
          diskRefreshToken: pending.supersededRefreshToken,
          error,
          final,
        });
      }
      return;
    }
    try {
      const pending = unpersisted;
      if (!pending) return;
      let disk: QwenCredentials;
      try {
        disk = await readCredentialsFile(credentialsPath, { accountId });
      } catch {
        if (!final) schedulePersistRetry(computePersistRetryDelayInMs(pending.attempts));
        return;
      }
      if (
        disk.refresh_token !== pending.supersededRefreshToken &&
        disk.refresh_token !== pending.credentials.refresh_token
      ) {
        resolveUnpersisted('superseded');
        return;
      }
      await persistRefreshed({
        refreshed: { ...disk, ...pending.credentials },
        diskRefreshToken: disk.refresh_token,
        final,
      });
    } finally {
      await lock.release();
    }
  }

  // --- refresh ---

  /*
   * Single-flight invariant: at most one refresh runs per manager. Whoever finds the token
   * unusable joins `refreshFlight` if set, else creates it synchronously (no await between the
   * check and the assignment), so N concurrent callers share one promise and therefore one
   * token-endpoint call and one result, success or error. Across processes the qwen-code lock
   * provides the same guarantee, and the re-read under the lock turns "someone else already
   * refreshed" into an adoption instead of a second rotation.
   * A cool-off (see `coolOff`) is checked in the same synchronous section: during it no
   * flight starts unless `bypassCoolOff` (proactive timer, `refresh({ force: true })`).
   */
  function joinOrStartRefresh({
    reason,
    force,
    bypassCoolOff = false,
  }: {
    reason: RefreshReason;
    force: boolean;
    bypassCoolOff?: boolean;
  }): Promise<UpstreamToken> {
    if (refreshFlight) return refreshFlight;
    if (coolOff && !bypassCoolOff) {
      const decision = decideCoolOff({ coolOff, nowInMs: now(), fileSignatureKey });
      if (decision.action === 'hold') {
        return Promise.reject(
          createCoolOffError({
            failure: coolOff.failure,
            retryAfterInMs: decision.retryAfterInMs,
            accountId,
          }),
        );
      }
      coolOff = undefined;
    }
    const flight: Promise<UpstreamToken> = traceTokenRefresh({
      accountId,
      reason,
      work: () => runRefreshFlight({ reason, force }),
      readOutcome: () => lastRefresh?.outcome,
    }).finally(() => {
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
          coolOff =
            decideCoolOffAfterFailure({
              error,
              nowInMs: now(),
              coolOffInMs: refreshCoolOffInMs,
              fileSignatureKey,
            }) ?? coolOff;
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
    const lock = await takeLock();
    try {
      // a process killed between its fsync and rename left the new pair in a temp file
      await recoverInterruptedWriteUnderLock();
      let fileCredentials: QwenCredentials;
      try {
        fileCredentials = await readCredentialsFile(credentialsPath, { accountId });
        await rememberFileSignature();
      } catch (error) {
        if (isCredentialsProblem(error)) setProblem(error);
        throw error;
      }
      // the refresh token the file holds, which a failed write below would leave there
      const diskRefreshToken = fileCredentials.refresh_token;
      if (unpersisted) {
        if (fileCredentials.refresh_token === unpersisted.supersededRefreshToken) {
          // our last write failed and the file still holds the dead predecessor: retry the
          // write; whether it succeeds or not, the live pair in memory is what we go on with
          const pending = unpersisted.credentials;
          await persistRefreshed({
            refreshed: { ...fileCredentials, ...pending },
            diskRefreshToken,
          });
          fileCredentials = pending;
        } else {
          resolveUnpersisted('superseded'); // someone saved newer credentials meanwhile
        }
      }

      // someone else (a process of ours, qwen-code, a new login) already refreshed: adopt it
      if (isUsable(fileCredentials) && fileCredentials.access_token !== baselineAccessToken) {
        const adopted =
          token && fileCredentials.access_token === credentials?.access_token
            ? token // the watcher got there first
            : install(fileCredentials, { obtainedAtInMs: now(), observedRefresh: true });
        if (adopted === token && !tokenFromObservedRefresh) {
          // the watcher installed it first, but under the lock we see it replaced our baseline
          tokenFromObservedRefresh = true;
          suspicionShieldUntilInMs = now() + minimumTokenAgeForSuspicionInMs;
        }
        coolOff = undefined;
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
      // the rotated refresh token reaches the disk before anything else may use it; a failed
      // write keeps the only live copy in memory (`unsaved`) and retries it with backoff
      await persistRefreshed({ refreshed, diskRefreshToken });
      const installed = install(refreshed, { obtainedAtInMs: now(), observedRefresh: true });
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

  /**
   * A process killed between the fsync and the rename of its write left the only live pair in
   * a temp file: adopt it before the first read (under the lock, briefly; when the lock stays
   * busy or cannot be created, the next refresh does it under its own lock).
   */
  async function recoverInterruptedWriteAtStart(): Promise<void> {
    if (!recoverInterruptedWrites) return;
    if (!(await findInterruptedWrite({ credentialsPath }).catch(() => undefined))) return;
    let lock: FileLock;
    try {
      lock = await takeLock({ maxWaitInMs: START_RECOVERY_LOCK_WAIT_IN_MS });
    } catch {
      return;
    }
    try {
      await recoverInterruptedWriteUnderLock();
    } finally {
      await lock.release();
    }
  }

  function start(): Promise<void> {
    started ??= (async () => {
      await recoverInterruptedWriteAtStart();
      await probeDirectoryWritable();
      await checkFile({ force: true });
      // watching must never keep a process alive on its own (the watcher's timer is unref'd)
      if (!lifetime.signal.aborted) fileWatcher.start();
      scheduleProactiveRefresh();
      startedUp = true;
    })();
    return started;
  }

  /*
   * What getAccessToken would serve without waiting for anything: started, open, no file check
   * due or running, no re-login needed, a usable token in memory. The request path asks this
   * first (no promise, no await); any other case takes getAccessToken's waits.
   */
  function peekAccessToken(): UpstreamToken | undefined {
    if (!startedUp || lifetime.signal.aborted || fileWatcher.isDue()) return undefined;
    if (problem instanceof NeedsReauthError) return undefined;
    const usable = currentUsableToken();
    return usable === undefined ? undefined : serve(usable);
  }

  function getAccessToken(options: { signal?: AbortSignal } = {}): Promise<UpstreamToken> {
    const ready = peekAccessToken();
    return ready === undefined ? obtainAccessToken(options) : Promise.resolve(ready);
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

  async function obtainAccessToken({ signal }: { signal?: AbortSignal }): Promise<UpstreamToken> {
    throwIfClosed();
    await start();
    // while a cool-off holds callers back, a new file (a login, another program) must be seen
    // at once, not after the throttle: one stat per refused request is cheap
    const coolingOff = coolOff !== undefined && now() < coolOff.untilInMs && !currentUsableToken();
    await checkFile({ force: coolingOff });
    if (problem instanceof NeedsReauthError) throw problem;
    const usable = currentUsableToken();
    if (usable) return serve(usable);
    if (!credentials) throw problem ?? new NoCredentialsError({ credentialsPath, accountId });

    const previous = token;
    const stillValid = previous?.expiresAtInMs !== undefined && now() < previous.expiresAtInMs;
    try {
      return serve(
        await raceWithSignal({
          promise: joinOrStartRefresh({
            reason: stillValid ? 'expiring' : 'expired',
            force: false,
          }),
          signal,
        }),
      );
    } catch (error) {
      // transient failure inside the buffer: the old token has not expired yet, keep serving it
      const transient =
        error instanceof TokenRefreshError ||
        error instanceof LockTimeoutError ||
        error instanceof CredentialsDirUnwritableError;
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
    const decision = decideInvalidation({
      invalidAccessToken: invalidToken.accessToken,
      currentAccessToken: token?.accessToken,
      reason,
      alreadyInvalidated: invalidatedAccessTokens.has(invalidToken.accessToken),
      nowInMs: now(),
      suspicionShieldUntilInMs,
      tokenFromObservedRefresh,
    });
    if (decision.action !== 'refresh') {
      // a stale token (the refresh it asks for has happened) or a shielded suspicion
      emit({ type: 'token-invalidated', accountId, reason, action: decision.action });
      return getAccessToken();
    }
    if (decision.firstReport) {
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
    // `auth refresh` is a person asking: it is not held back by a cool-off
    return raceWithSignal({
      promise: joinOrStartRefresh({ reason: 'manual', force, bypassCoolOff: force }),
      signal,
    });
  }

  function getStatus(): AccountStatus {
    return buildAccountStatus({
      accountId,
      credentialsPath,
      credentials,
      problem,
      unsaved: unpersisted,
      storageProblem,
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
    fileWatcher.stop();
    if (persistRetryTimer) clearTimeout(persistRetryTimer);
    proactiveTimer = undefined;
    persistRetryTimer = undefined;
    // waits and backoff abort at once; a token call in progress completes and is persisted,
    // then the lock is released in `finally`
    await Promise.allSettled([refreshFlight, fileWatcher.running, started]);
    // credentials that only live in memory get one more chance to reach the disk
    if (unpersisted) await retryPersist({ final: true }).catch(() => undefined);
    if (!secretsReleased) {
      secretsReleased = true;
      replaceSecret({ previous: credentials?.access_token, next: undefined });
      replaceSecret({ previous: credentials?.refresh_token, next: undefined });
    }
  }

  return {
    accountId,
    start,
    getAccessToken,
    peekAccessToken,
    invalidate,
    refresh,
    getStatus,
    close,
  };
}
