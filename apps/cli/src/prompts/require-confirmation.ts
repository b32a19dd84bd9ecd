import type { CommandContext } from '../commands/command-context';
import { CliError } from '../errors/cli-error';
import { EXIT_CODES } from '../errors/exit-codes';

/**
 * Asks before a change the person may regret. `--yes` skips the question; without a terminal
 * to ask on, the command refuses (a script must say `--yes` explicitly).
 */
export async function requireConfirmation({
  context,
  question,
  yes,
}: {
  context: Pick<CommandContext, 'interactive' | 'confirm'>;
  question: string;
  yes: boolean;
}): Promise<void> {
  if (yes) return;
  if (!context.interactive) {
    throw new CliError({
      code: 'QWEN_RELAY_CLI_CONFIRMATION_REQUIRED',
      message: 'This needs a confirmation, and there is no terminal to ask on.',
      hint: 'Add --yes to confirm.',
      exitCode: EXIT_CODES.usage,
    });
  }
  if (!(await context.confirm({ message: question }))) {
    throw new CliError({
      code: 'QWEN_RELAY_CLI_CANCELLED',
      message: 'Cancelled; nothing changed.',
    });
  }
}
