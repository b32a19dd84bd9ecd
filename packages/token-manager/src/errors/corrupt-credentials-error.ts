import { QwenRelayError } from '@qwen-relay/contracts';

/** The credentials file exists but cannot be used; it is reported, never rewritten. */
export class CorruptCredentialsError extends QwenRelayError {
  readonly credentialsPath: string;
  /** what is wrong, e.g. "not valid JSON"; never contains file content */
  readonly problem: string;

  constructor({
    credentialsPath,
    problem,
    accountId,
  }: { credentialsPath: string; problem: string; accountId?: string }) {
    super({
      code: 'QWEN_RELAY_CORRUPT_CREDENTIALS',
      message:
        `Qwen credentials file ${credentialsPath} is unusable: ${problem}. ` +
        'It was left untouched; fix it or run `qwen-relay auth login` to replace it.',
      retryable: false,
      ...(accountId === undefined ? {} : { accountId }),
    });
    this.credentialsPath = credentialsPath;
    this.problem = problem;
  }
}
