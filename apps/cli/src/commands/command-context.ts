import type { Colors } from '../output/create-colors';
import type { OutputStream } from '../output/output-stream';

/**
 * Everything a command needs from the outside world, injected so tests can run commands as
 * plain functions: settings resolved from flags and environment, output streams, a clock,
 * a way to ask the person, and the Ctrl-C signal.
 */
export interface CommandContext {
  /** QWEN_DIR / --qwen-dir, or ~/.qwen */
  qwenDir: string;
  /** QWEN_OAUTH_BASE_URL / --oauth-base-url, or https://chat.qwen.ai */
  oauthBaseUrl: string;
  env: NodeJS.ProcessEnv;
  stdout: OutputStream;
  stderr: OutputStream;
  /** colors for stdout (off with NO_COLOR or when not a terminal) */
  colors: Colors;
  now: () => number;
  /** show stack traces and extra detail */
  debug: boolean;
  /** stdin and stdout are terminals, so prompts can be answered */
  interactive: boolean;
  /** asks a yes/no question; only called when `interactive` */
  confirm: (options: { message: string }) => Promise<boolean>;
  /** reads a secret without echo (terminal) or from stdin; absent where no input exists */
  readSecret?: (options: { prompt: string }) => Promise<string>;
  /** aborted when the person presses Ctrl-C */
  signal?: AbortSignal;
}
