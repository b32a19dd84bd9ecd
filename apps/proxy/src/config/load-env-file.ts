import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { parseCommandLineFlags } from './parse-command-line-flags';
import { ProxyConfigError } from './proxy-config-error';
import { SETTING_DEFINITIONS } from './setting-definitions';

/** A `.env` file the proxy reads settings from. */
export interface EnvFile {
  /** absolute path, as shown in the start-up log */
  path: string;
  values: Readonly<Record<string, string>>;
}

/** What {@link loadEnvFile} found: the file to read, and a working-directory `.env` it did not read. */
export interface EnvFileLoad {
  envFile?: EnvFile;
  /** `<cwd>/.env` when it exists, names proxy settings and is not the file read: worth a warning */
  ignoredPath?: string;
}

/** Where the relay keeps its own configuration: `~/.qwen-relay`. */
export function getRelayConfigDirectory(homeDirectory: string): string {
  return join(homeDirectory, '.qwen-relay');
}

const SETTING_NAMES = new Set(SETTING_DEFINITIONS.map((definition) => definition.envName));

/**
 * Finds the one `.env` file the proxy reads: the file named by `--env-file` (or
 * `QWEN_RELAY_ENV_FILE`), which must exist, else `~/.qwen-relay/.env` when present. Never the
 * working directory's: a project's `.env` could otherwise send the tokens to any server
 * (`QWEN_OAUTH_BASE_URL`, `QWEN_API_BASE_URL`, `QWEN_DIR`), just by starting the proxy there.
 */
export function loadEnvFile({
  env,
  argv = [],
  cwd,
  homeDirectory,
}: {
  env: Record<string, string | undefined>;
  argv?: readonly string[];
  cwd: string;
  homeDirectory: string;
}): EnvFileLoad {
  const named = parseCommandLineFlags(argv).get('QWEN_RELAY_ENV_FILE') ?? env.QWEN_RELAY_ENV_FILE;
  let envFile: EnvFile | undefined;
  if (named !== undefined && named.trim() !== '') {
    const path = resolve(cwd, named.trim().replace(/^~(?=$|[/\\])/, homeDirectory));
    const text = readText(path);
    if (text === undefined) {
      throw new ProxyConfigError({
        setting: 'QWEN_RELAY_ENV_FILE',
        message: `Cannot read the env file ${path} given by --env-file / QWEN_RELAY_ENV_FILE: it does not exist.`,
      });
    }
    envFile = { path, values: parseEnvText({ path, text }) };
  } else {
    const path = join(getRelayConfigDirectory(homeDirectory), '.env');
    const text = readText(path);
    if (text !== undefined) envFile = { path, values: parseEnvText({ path, text }) };
  }
  const result: EnvFileLoad = envFile === undefined ? {} : { envFile };
  const localPath = resolve(cwd, '.env');
  if (localPath !== envFile?.path) {
    const text = readText(localPath);
    if (text !== undefined && namesProxySetting(text)) result.ignoredPath = localPath;
  }
  return result;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new ProxyConfigError({
      setting: 'QWEN_RELAY_ENV_FILE',
      message: `Cannot read the env file ${path} (${code ?? 'error'}).`,
    });
  }
}

function parseEnvText({ path, text }: { path: string; text: string }): Record<string, string> {
  try {
    return parseEnv(text) as Record<string, string>;
  } catch (error) {
    throw new ProxyConfigError({
      setting: 'QWEN_RELAY_ENV_FILE',
      message: `Cannot parse the env file ${path}: ${(error as Error).message}`,
    });
  }
}

function namesProxySetting(text: string): boolean {
  try {
    return Object.keys(parseEnv(text)).some((name) => SETTING_NAMES.has(name));
  } catch {
    return false;
  }
}
