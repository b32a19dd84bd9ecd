import type { OutputStream } from '../output/output-stream';

/** The process-level inputs of one CLI run; tests pass their own. */
export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdout: OutputStream;
  stderr: OutputStream;
  now: () => number;
  /** can prompts be answered (stdin and stdout are terminals) */
  interactive: boolean;
  confirm: (options: { message: string }) => Promise<boolean>;
  /** reads a secret: hidden on a terminal, else from stdin (`keys add`) */
  readSecret?: (options: { prompt: string }) => Promise<string>;
  /** aborted on Ctrl-C / SIGTERM */
  signal?: AbortSignal;
}
