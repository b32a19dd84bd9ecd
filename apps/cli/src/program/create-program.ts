import { Command } from 'commander';
import type { CliIo } from './cli-io';
import { createActionFactory, formatExamples } from './create-action';
import { registerAuthCommands } from './register-auth-commands';
import { registerClusterCommands } from './register-cluster-commands';
import { registerDoctorCommand } from './register-doctor-command';
import { registerKeysCommands } from './register-keys-commands';
import { registerServeCommand } from './register-serve-command';
import { registerServiceCommands } from './register-service-commands';
import { registerUsageCommand } from './register-usage-command';

/**
 * The `qwen-relay` command tree. Output goes to the injected streams and commander never
 * exits the process itself (exitOverride), so `runCli` decides the exit code.
 */
export function createProgram({
  io,
  version,
  setExitCode,
}: {
  io: CliIo;
  version: string;
  setExitCode: (code: number) => void;
}): Command {
  const program = new Command('qwen-relay')
    .description('Qwen OAuth tokens that never expire on you: log in, inspect, refresh, serve.')
    .version(version, '-v, --version', 'print the version')
    .option('--qwen-dir <dir>', 'where credentials and locks live (env QWEN_DIR, default ~/.qwen)')
    .option(
      '--oauth-base-url <url>',
      'OAuth server (env QWEN_OAUTH_BASE_URL, default https://chat.qwen.ai)',
    )
    .option('--debug', 'show stack traces and details on errors')
    .option('--no-color', 'plain output (also with NO_COLOR=1)')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .addHelpText(
      'after',
      formatExamples([
        ['qwen-relay auth login', 'log in (opens the browser, shows a code)'],
        ['qwen-relay auth status', 'is every account usable? exit code says it too'],
        ['qwen-relay keys add', 'add a Coding Plan, Token Plan or pay-as-you-go key'],
        ['qwen-relay serve --port 8080', 'run the OpenAI-compatible proxy'],
        ['qwen-relay service install', 'run it all day as a systemd / launchd service'],
        ['qwen-relay doctor', 'find out why something does not work'],
      ]),
    );
  const action = createActionFactory({ io, setExitCode });
  registerAuthCommands({ program, action, io });
  registerKeysCommands({ program, action });
  registerServeCommand({ program, action });
  registerServiceCommands({ program, action });
  registerDoctorCommand({ program, action });
  registerUsageCommand({ program, action });
  registerClusterCommands({ program, action });
  return program;
}
