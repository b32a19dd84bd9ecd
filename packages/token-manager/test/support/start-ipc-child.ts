import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';

/** A message a fixture process sends over IPC: `{ type, ...fields }`. */
export interface ChildMessage {
  type: string;
  [field: string]: unknown;
}

/** A forked fixture process and its inbox. */
export interface IpcChild {
  process: ChildProcess;
  /** the next message of this type (or an `error` message); rejects if the child exits first */
  next(type: string): Promise<ChildMessage>;
  /** resolves with the exit code or signal once the child is gone */
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Forks `script` with plain node (none of the test runner's flags) and `env` added. */
export function startIpcChild({
  script,
  env,
}: {
  script: string;
  env: Record<string, string>;
}): IpcChild {
  const child = fork(script, [], {
    env: { ...process.env, ...env },
    execArgv: [],
    stdio: 'inherit',
  });
  const exit = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  const inbox: ChildMessage[] = [];
  const waiters: Array<() => void> = [];
  child.on('message', (message) => {
    inbox.push(message as ChildMessage);
    for (const wake of waiters.splice(0)) wake();
  });
  return {
    process: child,
    async next(type) {
      for (;;) {
        const index = inbox.findIndex(
          (message) => message.type === type || message.type === 'error',
        );
        if (index >= 0) return inbox.splice(index, 1)[0] as ChildMessage;
        await Promise.race([
          new Promise<void>((resolve) => waiters.push(resolve)),
          exit.then(({ code, signal }) => {
            throw new Error(`child exited with ${code ?? signal} before sending '${type}'`);
          }),
        ]);
      }
    },
    exited: () => exit,
  };
}
