import { DEFAULT_QWEN_OAUTH_BASE_URL, resolveQwenDir } from '@qwen-relay/token-manager';
import type { CommandContext } from '../commands/command-context';
import { CliError } from '../errors/cli-error';
import { EXIT_CODES } from '../errors/exit-codes';
import { createColors } from '../output/create-colors';
import type { CliIo } from './cli-io';

/** Options every command accepts (defined on the root program). */
export interface GlobalOptions {
  qwenDir?: string;
  oauthBaseUrl?: string;
  debug?: boolean;
  color?: boolean;
}

function parseOAuthBaseUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return value.replace(/\/+$/, '');
  } catch {
    // reported below
  }
  throw new CliError({
    code: 'QWEN_RELAY_CLI_USAGE',
    message: `"${value}" is not an http(s) URL (QWEN_OAUTH_BASE_URL / --oauth-base-url).`,
    hint: 'For example: https://chat.qwen.ai',
    exitCode: EXIT_CODES.usage,
  });
}

/**
 * Resolves flags and environment into a {@link CommandContext}: a flag wins over its
 * variable (QWEN_DIR, QWEN_OAUTH_BASE_URL), then the documented default; `--no-color`
 * and NO_COLOR turn colors off.
 */
export function createCommandContext({
  io,
  globals,
}: {
  io: CliIo;
  globals: GlobalOptions;
}): CommandContext {
  const env = globals.color === false ? { ...io.env, NO_COLOR: '1' } : io.env;
  const qwenDir = globals.qwenDir ?? resolveQwenDir(env);
  const oauthBaseUrl = parseOAuthBaseUrl(
    globals.oauthBaseUrl ?? (env.QWEN_OAUTH_BASE_URL || DEFAULT_QWEN_OAUTH_BASE_URL),
  );
  return {
    qwenDir,
    oauthBaseUrl,
    env,
    stdout: io.stdout,
    stderr: io.stderr,
    colors: createColors({ env, isTTY: io.stdout.isTTY === true }),
    now: io.now,
    debug: globals.debug === true,
    interactive: io.interactive,
    confirm: io.confirm,
    ...(io.readSecret === undefined ? {} : { readSecret: io.readSecret }),
    ...(io.signal === undefined ? {} : { signal: io.signal }),
  };
}
