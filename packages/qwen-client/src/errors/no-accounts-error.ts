import { QwenClientError, type QwenClientErrorOptions } from './qwen-client-error';

/**
 * The client has no account at all (every one was removed with `setAccounts([])`). Carries the
 * same code as token-manager's missing-credentials error, so a proxy answers the same 401 with
 * the same login hint.
 */
export class NoAccountsError extends QwenClientError {
  declare readonly code: 'QWEN_RELAY_NO_CREDENTIALS';
  constructor(options: Partial<Omit<QwenClientErrorOptions, 'code' | 'status'>> = {}) {
    super({
      message: 'No Qwen account is configured. Run `qwen-relay auth login` to sign in.',
      ...options,
      code: 'QWEN_RELAY_NO_CREDENTIALS',
      retryable: false,
    });
  }
}
