import { QwenRelayError } from '@qwen-relay/contracts';

/** The token endpoint rejected the refresh token; a human has to sign in again. */
export class NeedsReauthError extends QwenRelayError {
  readonly credentialsPath: string;

  constructor({
    credentialsPath,
    accountId,
    upstreamStatus,
    upstreamErrorCode,
  }: {
    credentialsPath: string;
    accountId: string;
    upstreamStatus?: number;
    upstreamErrorCode?: string;
  }) {
    const why =
      upstreamErrorCode ?? (upstreamStatus === undefined ? 'rejected' : `HTTP ${upstreamStatus}`);
    const loginCommand =
      accountId === 'default'
        ? 'qwen-relay auth login'
        : `qwen-relay auth login --account ${accountId}`;
    super({
      code: 'QWEN_RELAY_NEEDS_REAUTH',
      message:
        `Qwen refresh token of account '${accountId}' was rejected (${why}). ` +
        `Run \`${loginCommand}\` (or \`qwen\` then /auth in qwen-code) to sign in again; ` +
        `${credentialsPath} was left untouched and new credentials there are picked up automatically.`,
      retryable: false,
      accountId,
      ...(upstreamStatus === undefined ? {} : { upstreamStatus }),
    });
    this.credentialsPath = credentialsPath;
  }
}
