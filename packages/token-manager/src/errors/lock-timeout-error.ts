import { QwenRelayError } from './qwen-relay-error';

/** Another process held the refresh lock for longer than the bounded wait. */
export class LockTimeoutError extends QwenRelayError {
  readonly lockPath: string;

  constructor({ lockPath, attempts }: { lockPath: string; attempts: number }) {
    super({
      code: 'QWEN_RELAY_LOCK_TIMEOUT',
      message:
        `Failed to acquire file lock for token refresh: timeout exceeded (${lockPath}, ${attempts} attempts). ` +
        'Another process is refreshing; if none is, the lock file is removed as stale after 10 s.',
      status: 503,
      retryable: true,
    });
    this.lockPath = lockPath;
  }
}
