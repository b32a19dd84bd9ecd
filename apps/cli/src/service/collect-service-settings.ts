import { isAbsolute, resolve } from 'node:path';

type ProxyModule = typeof import('@qwen-relay/proxy');

/** The settings the service will run with, validated, and the configuration they give. */
export interface ServiceSettings {
  /** `[ENV_NAME, value]` in the proxy's setting order */
  settings: Array<readonly [string, string]>;
  config: ReturnType<ProxyModule['parseProxyConfig']>;
}

/**
 * The current settings, as `qwen-relay serve` would see them here: proxy flags given to
 * `service install`, then the environment, then `~/.qwen-relay/.env` or the file of `--env-file`
 * (never `.env` in the working directory); QWEN_DIR is
 * always written as an absolute path (the service does not start in this directory), and the
 * CLI's own --oauth-base-url is kept. Validated with the proxy's parser, so a bad setting fails
 * the install instead of the service.
 */
export function collectServiceSettings({
  proxy,
  env,
  cwd,
  homeDirectory,
  proxyArguments,
  qwenDir,
  oauthBaseUrl,
}: {
  proxy: ProxyModule;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** whose `~/.qwen-relay/.env` is read when no `--env-file` is given */
  homeDirectory: string;
  proxyArguments: readonly string[];
  /** the CLI's resolved QWEN_DIR (--qwen-dir, QWEN_DIR or ~/.qwen) */
  qwenDir: string;
  /** the CLI's resolved OAuth base URL */
  oauthBaseUrl: string;
}): ServiceSettings {
  const envFile = proxy.loadEnvFile({
    env,
    argv: proxyArguments,
    cwd,
    homeDirectory,
  });
  const fromEnvironment = { ...envFile.envFile?.values, ...env };
  // validated as `serve` parses it, so an error names the flag or variable the person gave
  const config = proxy.parseProxyConfig({ env, argv: proxyArguments, envFile });
  const fromFlags = proxy.parseCommandLineFlags(proxyArguments);
  const chosen = new Map<string, string>();
  for (const { envName } of proxy.SETTING_DEFINITIONS) {
    // the service has its own env file, the one these settings are written to
    if (envName === 'QWEN_RELAY_ENV_FILE') continue;
    const value = (fromFlags.get(envName) ?? fromEnvironment[envName])?.trim();
    if (value !== undefined && value !== '') chosen.set(envName, value);
  }
  const directory = chosen.get('QWEN_DIR') ?? qwenDir;
  chosen.set('QWEN_DIR', isAbsolute(directory) ? directory : resolve(cwd, directory));
  if (!chosen.has('QWEN_OAUTH_BASE_URL') && oauthBaseUrl !== 'https://chat.qwen.ai') {
    chosen.set('QWEN_OAUTH_BASE_URL', oauthBaseUrl);
  }
  const order = proxy.SETTING_DEFINITIONS.map((definition) => definition.envName);
  const settings = [...chosen].sort(
    ([left], [right]) => order.indexOf(left) - order.indexOf(right),
  );
  return { settings, config: { ...config, qwenDir: chosen.get('QWEN_DIR') ?? config.qwenDir } };
}
