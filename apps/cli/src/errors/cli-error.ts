import { QwenRelayError } from '@qwen-relay/contracts';
import { EXIT_CODES } from './exit-codes';

/** Stable codes of errors raised by the CLI itself (token-manager codes pass through as they are). */
export type CliErrorCode =
  | 'QWEN_RELAY_CLI_USAGE'
  | 'QWEN_RELAY_CLI_ACCOUNT_EXISTS'
  | 'QWEN_RELAY_CLI_ACCOUNT_NOT_FOUND'
  | 'QWEN_RELAY_CLI_CONFIRMATION_REQUIRED'
  | 'QWEN_RELAY_CLI_CANCELLED';

/**
 * An error meant for the person at the terminal: one sentence, the next step in `hint`, and
 * the process exit code. Part of the project's error family (marker + stable `code`).
 */
export class CliError extends QwenRelayError {
  declare readonly code: CliErrorCode;
  readonly hint: string | undefined;
  readonly exitCode: number;

  constructor({
    code,
    message,
    hint,
    exitCode = EXIT_CODES.failure,
    cause,
  }: {
    code: CliErrorCode;
    message: string;
    hint?: string;
    exitCode?: number;
    cause?: unknown;
  }) {
    super({ code, message, ...(cause === undefined ? {} : { cause }) });
    this.hint = hint;
    this.exitCode = exitCode;
  }
}

/** Recognises a {@link CliError} by its code, so it also works across bundled copies. */
export function isCliError(error: unknown): error is CliError {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && code.startsWith('QWEN_RELAY_CLI_');
}
