import { CommanderError } from 'commander';
import { isCliError } from '../errors/cli-error';
import { EXIT_CODES } from '../errors/exit-codes';
import { formatErrorForUser } from '../errors/format-error-for-user';
import type { CliIo } from './cli-io';
import { createProgram } from './create-program';

/**
 * Runs `qwen-relay` with the given arguments (process.argv shape) and returns the exit code.
 * Every error ends here: one sentence and a next step, or a stack trace with --debug.
 */
export async function runCli({
  argv,
  version,
  ...io
}: CliIo & { argv: readonly string[]; version: string }): Promise<number> {
  let exitCode: number = EXIT_CODES.ok;
  const program = createProgram({ io, version, setExitCode: (code) => (exitCode = code) });
  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // help and version "errors" are successes; commander already printed its message
      return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
    }
    const debug = program.opts<{ debug?: boolean }>().debug === true || argv.includes('--debug');
    io.stderr.write(formatErrorForUser({ error, debug }));
    return isCliError(error) ? error.exitCode : EXIT_CODES.failure;
  }
}
