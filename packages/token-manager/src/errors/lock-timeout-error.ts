import { QwenRelayError } from '@qwen-relay/contracts';

/** Another process held the refresh lock for longer than the bounded wait. */
export class LockTimeoutError extends QwenRelayError {
  readonly lockPath: string;

  constructor({
    lockPath,
    attempts,
    waitedInMs,
    staleAfterInMs,
  }: {
    lockPath: string;
    attempts: number;
    waitedInMs?: number;
    /** the staleness window in force, named in the message */
    staleAfterInMs?: number;
  }) {
    const waited = waitedInMs === undefined ? '' : `, ${Math.round(waitedInMs / 1000)} s`;
    const staleAfter =
      staleAfterInMs === undefined ? '' : ` after ${Math.round(staleAfterInMs / 1000)} s`;
    super({
      code: 'QWEN_RELAY_LOCK_TIMEOUT',
      message:
        `Failed to acquire file lock for token refresh: timeout exceeded (${lockPath}, ${attempts} attempts${waited}). ` +
        `Another process is refreshing; if none is, the lock file is removed as stale${staleAfter}.`,
      retryable: true,
    });
    this.lockPath = lockPath;
  }
}
