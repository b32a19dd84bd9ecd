import type { CommandContext } from '../../src/commands/command-context';
import { createBufferedOutput } from '../../src/output/output-stream';
import type { CliIo } from '../../src/program/cli-io';
import { createCommandContext } from '../../src/program/global-options';

/** In-process I/O for `runCli` and command functions: buffered output, scripted answers. */
export function createTestIo({
  env,
  interactive = false,
  answer = false,
  signal,
  now = Date.now,
  secret,
}: {
  env: NodeJS.ProcessEnv;
  /** what `readSecret` returns (as if typed or piped) */
  secret?: string;
  interactive?: boolean;
  /** what `confirm` answers */
  answer?: boolean;
  signal?: AbortSignal;
  now?: () => number;
}): CliIo & { stdoutText: () => string; stderrText: () => string; questions: string[] } {
  const stdout = createBufferedOutput();
  const stderr = createBufferedOutput();
  const questions: string[] = [];
  return {
    env: { NO_COLOR: '1', ...env },
    stdout,
    stderr,
    now,
    interactive,
    confirm: async ({ message }) => {
      questions.push(message);
      return answer;
    },
    ...(signal === undefined ? {} : { signal }),
    ...(secret === undefined ? {} : { readSecret: async () => secret }),
    stdoutText: stdout.text,
    stderrText: stderr.text,
    questions,
  };
}

/** A {@link CommandContext} for calling a command function directly. */
export function createTestContext(options: Parameters<typeof createTestIo>[0]) {
  const io = createTestIo(options);
  const context: CommandContext = createCommandContext({ io, globals: {} });
  return { context, io };
}

/** argv as `runCli` receives it from process.argv. */
export function cliArgv(...args: string[]): string[] {
  return ['node', 'qwen-relay', ...args];
}

/** Runs `qwen-relay ...args` in this process; same result shape as the binary helper. */
export async function runInProcess({
  args,
  env,
  ...options
}: { args: string[]; env: NodeJS.ProcessEnv } & Omit<Parameters<typeof createTestIo>[0], 'env'>) {
  const { runCli } = await import('../../src/program/run-cli');
  const io = createTestIo({ env, ...options });
  const code = await runCli({ argv: cliArgv(...args), version: '0.0.0-test', ...io });
  return { code, stdout: io.stdoutText(), stderr: io.stderrText(), questions: io.questions };
}
