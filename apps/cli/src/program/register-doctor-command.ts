import type { Command } from 'commander';
import { runDoctor } from '../commands/doctor';
import { CliError } from '../errors/cli-error';
import { EXIT_CODES } from '../errors/exit-codes';
import { type createActionFactory, formatExamples } from './create-action';

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new CliError({
      code: 'QWEN_RELAY_CLI_USAGE',
      message: `"${value}" is not a port number.`,
      hint: 'Use an integer from 0 to 65535.',
      exitCode: EXIT_CODES.usage,
    });
  }
  return port;
}

/** `qwen-relay doctor`. */
export function registerDoctorCommand({
  program,
  action,
}: {
  program: Command;
  action: ReturnType<typeof createActionFactory>;
}) {
  program
    .command('doctor')
    .description(
      'check credentials, files, lock, clock, network and port; one line each with a fix',
    )
    .option('--json', 'machine-readable output')
    .option('--port <port>', 'port `serve` would listen on (default PORT or 8080)')
    .option('--host <host>', 'address `serve` would listen on (default HOST or 127.0.0.1)')
    .option('--timeout-ms <ms>', 'timeout of each network check', '3000')
    .addHelpText(
      'after',
      `${formatExamples([
        ['qwen-relay doctor', 'run every check'],
        ['qwen-relay doctor --port 9000 --json', 'check port 9000 too, output JSON'],
      ])}
Exit code: 0 when no check failed (warnings allowed), 1 otherwise.
`,
    )
    .action(
      action<{ json?: boolean; port?: string; host?: string; timeoutMs: string }>(
        ({ context, options }) =>
          runDoctor({
            ...context,
            json: options.json === true,
            ...(options.port === undefined ? {} : { port: parsePort(options.port) }),
            ...(options.host === undefined ? {} : { host: options.host }),
            timeoutInMs: Number(options.timeoutMs) > 0 ? Number(options.timeoutMs) : 3000,
          }),
      ),
    );
}
