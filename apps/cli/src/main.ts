// bundled by tsup: only the version string ends up in dist/main.js
import { version } from '../package.json';
import { EXIT_CODES } from './errors/exit-codes';
import { readSecret } from './keys/read-secret';
import { runCli } from './program/run-cli';

/** Asks on the terminal; Ctrl-C or a closed stdin count as "no". */
async function confirmOnTerminal({ message }: { message: string }): Promise<boolean> {
  try {
    const { default: confirm } = await import('@inquirer/confirm');
    return await confirm({ message, default: false });
  } catch {
    return false;
  }
}

const controller = new AbortController();
// first Ctrl-C (or SIGTERM) aborts the running command cleanly; a second one exits at once
const onSignal = () => {
  if (controller.signal.aborted) process.exit(EXIT_CODES.interrupted);
  controller.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const exitCode = await runCli({
  argv: process.argv,
  version,
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  now: Date.now,
  interactive: process.stdin.isTTY === true && process.stdout.isTTY === true,
  confirm: confirmOnTerminal,
  // prompts go to stderr so `keys add` output stays clean when piped
  readSecret: ({ prompt }) => readSecret({ input: process.stdin, output: process.stderr, prompt }),
  signal: controller.signal,
});
process.exitCode = exitCode;
process.off('SIGINT', onSignal);
process.off('SIGTERM', onSignal);
