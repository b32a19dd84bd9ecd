import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@qwen-relay/fake-qwen/testing';

/** The built CLI, as installed users run it. */
export const BINARY_PATH = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

/** A running `qwen-relay` subprocess with its output collected. */
export interface RunningBinary {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** resolves with the first match of `pattern` in the stream's output so far or to come */
  waitForOutput(pattern: RegExp, stream?: 'stdout' | 'stderr'): Promise<RegExpMatchArray>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Spawns `node dist/main.js ...args` with a minimal environment: no inherited QWEN_* or
 * API keys, HOME pointed at `home` so nothing can touch the real ~/.qwen, and NO_COLOR.
 */
export function startBinary({
  args,
  env,
  home,
  stdin,
}: {
  args: readonly string[];
  env: Record<string, string>;
  home: string;
  /** written to the process's stdin, which is then closed (not a terminal) */
  stdin?: string;
}): RunningBinary {
  const child = spawn(process.execPath, [BINARY_PATH, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: home, NO_COLOR: '1', ...env },
    stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (stdin !== undefined) child.stdin?.end(stdin);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    waitForOutput: (pattern, stream = 'stdout') =>
      waitFor(
        () => {
          const match = (stream === 'stdout' ? stdout : stderr).match(pattern);
          if (match) return match;
          if (hasExited)
            throw new Error(
              `exited before ${pattern} appeared; stdout: ${stdout}\nstderr: ${stderr}`,
            );
          return undefined;
        },
        { message: `${pattern} on ${stream}` },
      ),
    exited,
  };
}

/** Runs the binary to completion. */
export async function runBinary(options: Parameters<typeof startBinary>[0]) {
  const running = startBinary(options);
  const { code } = await running.exited;
  return { code, stdout: running.stdout(), stderr: running.stderr() };
}
