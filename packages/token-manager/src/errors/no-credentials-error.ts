import { QwenRelayError } from '@qwen-relay/contracts';

/** No credentials file exists for the account; the message says how to log in. */
export class NoCredentialsError extends QwenRelayError {
  readonly credentialsPath: string;

  constructor({ credentialsPath, accountId }: { credentialsPath: string; accountId?: string }) {
    super({
      code: 'QWEN_RELAY_NO_CREDENTIALS',
      message:
        `No Qwen credentials found at ${credentialsPath}. ` +
        'Run `qwen-relay auth login` (or `qwen` then /auth in qwen-code) to sign in.',
      retryable: false,
      ...(accountId === undefined ? {} : { accountId }),
    });
    this.credentialsPath = credentialsPath;
  }
}
