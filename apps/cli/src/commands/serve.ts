import { homedir } from 'node:os';
import { EXIT_CODES } from '../errors/exit-codes';
import type { CommandContext } from './command-context';

/** Options of {@link runServe}. */
export interface ServeOptions {
  /** everything after `serve`: the proxy's own flags (docs/design.md §6) */
  proxyArguments: readonly string[];
  /** the CLI's global --qwen-dir / --oauth-base-url, when given (they win over the environment) */
  qwenDirFlag?: string;
  oauthBaseUrlFlag?: string;
  /** what a relative `--env-file` is resolved against (default: the working directory) */
  cwd?: string;
  /** whose `~/.qwen-relay/.env` is read when no `--env-file` is given (default: `HOME` of env) */
  homeDirectory?: string;
}

/**
 * `qwen-relay serve [flags]`: runs the proxy in this process, configured exactly like the
 * proxy's own binary (its parser: flags, then environment, then `~/.qwen-relay/.env` or the file
 * named by `--env-file`; never the working directory's `.env`). Runs until Ctrl-C or
 * SIGTERM, then shuts down gracefully: in-flight responses finish, locks are released.
 */
export async function runServe({
  proxyArguments,
  qwenDirFlag,
  oauthBaseUrlFlag,
  cwd = process.cwd(),
  homeDirectory,
  ...context
}: CommandContext & ServeOptions): Promise<number> {
  // loaded on demand: `auth` commands do not need the proxy (piscina, prom-client, undici)
  const proxy = await import('@qwen-relay/proxy');
  if (proxyArguments.includes('--help') || proxyArguments.includes('-h')) {
    const settings = proxy.formatProxyConfigHelp().replace(/^Usage:.*\n/, '');
    context.stdout.write(
      `Usage: qwen-relay serve [flags]\n\nRuns the OpenAI-compatible proxy until Ctrl-C.\n${settings}\n`,
    );
    return EXIT_CODES.ok;
  }
  const argv = [
    ...(qwenDirFlag === undefined ? [] : ['--qwen-dir', qwenDirFlag]),
    ...(oauthBaseUrlFlag === undefined ? [] : ['--qwen-oauth-base-url', oauthBaseUrlFlag]),
    ...proxyArguments,
  ];
  const config = proxy.parseProxyConfig({
    env: context.env,
    argv,
    envFile: proxy.loadEnvFile({
      env: context.env,
      argv,
      cwd,
      homeDirectory: homeDirectory ?? context.env.HOME ?? homedir(),
    }),
  });
  // this process serves requests from now on: the same heap tuning as the proxy's own command
  proxy.tuneHeapForRequests();
  const running = await proxy.startProxy({
    ...config,
    writeLogLine: (line) => context.stdout.write(`${line}\n`),
  });
  const { signal } = context;
  await new Promise<void>((resolve) => {
    if (signal === undefined || signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await running.close();
  return EXIT_CODES.ok;
}
