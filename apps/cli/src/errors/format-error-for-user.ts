import { isQwenRelayError } from '@qwen-relay/contracts';
import { isCliError } from './cli-error';
import { describeNetworkError } from './describe-network-error';

/** The login command for an account, as the person should type it. */
export function formatLoginCommand(accountId: string | undefined): string {
  return accountId === undefined || accountId === 'default'
    ? 'qwen-relay auth login'
    : `qwen-relay auth login --account ${accountId}`;
}

/** A message and the next step for each token-manager code the CLI can meet. */
function describeQwenRelayError(error: {
  code: string;
  message: string;
  accountId?: string;
  credentialsPath?: unknown;
  problem?: unknown;
}): { message: string; hint?: string } {
  const login = formatLoginCommand(error.accountId);
  // structured fields of NoCredentialsError / CorruptCredentialsError, when present
  const path = typeof error.credentialsPath === 'string' ? error.credentialsPath : undefined;
  const problem = typeof error.problem === 'string' ? error.problem : undefined;
  switch (error.code) {
    case 'QWEN_RELAY_NO_CREDENTIALS':
      return {
        message: path === undefined ? error.message : `There are no credentials at ${path}.`,
        hint: `Log in with \`${login}\`.`,
      };
    case 'QWEN_RELAY_NEEDS_REAUTH':
      return {
        message: 'The OAuth server no longer accepts this account’s refresh token.',
        hint: `Log in again with \`${login}\`.`,
      };
    case 'QWEN_RELAY_CORRUPT_CREDENTIALS':
      return {
        message:
          path === undefined || problem === undefined
            ? error.message
            : `The credentials file ${path} is unusable: ${problem}.`,
        hint: `Move the file aside (it is never rewritten automatically) and run \`${login}\`.`,
      };
    case 'QWEN_RELAY_TOKEN_REFRESH_FAILED':
      return {
        message: error.message,
        hint: 'This is usually temporary: try again in a minute, or run `qwen-relay doctor`.',
      };
    case 'QWEN_RELAY_LOCK_TIMEOUT':
      return {
        message: 'Another program kept the credentials lock for too long.',
        hint: 'Try again; if it keeps happening, run `qwen-relay doctor` to look for a stale lock.',
      };
    case 'QWEN_RELAY_DEVICE_FLOW_DENIED':
      return {
        message: 'The login was denied in the browser.',
        hint: `Run \`${login}\` to try again.`,
      };
    case 'QWEN_RELAY_DEVICE_FLOW_EXPIRED':
      return {
        message: 'The login code expired before it was approved.',
        hint: `Run \`${login}\` to get a new code.`,
      };
    default:
      return { message: error.message, hint: 'Run `qwen-relay doctor` to check your setup.' };
  }
}

/**
 * Turns any error into what the person sees: one sentence and the next step, or the full
 * stack when `debug` is on. Never includes a token: messages of qwen-relay errors are
 * already redacted at their source.
 */
export function formatErrorForUser({ error, debug }: { error: unknown; debug: boolean }): string {
  let message: string;
  let hint: string | undefined;
  if (isCliError(error)) {
    message = error.message;
    hint = error.hint;
  } else if (isQwenRelayError(error)) {
    ({ message, hint } = describeQwenRelayError(error));
  } else {
    const network = describeNetworkError(error);
    if (network !== undefined) {
      message = `Could not reach the server: ${network}.`;
      hint = 'Check your network, or the QWEN_OAUTH_BASE_URL / --oauth-base-url setting.';
    } else {
      message = `Unexpected error: ${error instanceof Error ? error.message : String(error)}`;
      hint = 'Run the command again with --debug for details.';
    }
  }
  const lines = [`Error: ${message}`];
  if (hint !== undefined) lines.push(hint);
  if (debug && error instanceof Error && error.stack !== undefined) lines.push('', error.stack);
  return `${lines.join('\n')}\n`;
}
