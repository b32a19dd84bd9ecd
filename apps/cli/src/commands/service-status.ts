import { readFile, stat } from 'node:fs/promises';
import { parseEnv } from 'node:util';
import { EXIT_CODES } from '../errors/exit-codes';
import { createServiceEnvironment } from '../service/create-service-environment';
import type { ServiceEnvironment } from '../service/service-environment';
import { LAUNCHD_LABEL, SERVICE_NAME } from '../service/service-paths';
import type { CommandContext } from './command-context';
import { requireServicePaths } from './service-install';

// how long `service status` waits for the proxy's /readyz
const READY_PROBE_TIMEOUT_IN_MS = 3_000;

async function readSettings(path: string): Promise<Record<string, string> | undefined> {
  try {
    return parseEnv(await readFile(path, 'utf8')) as Record<string, string>;
  } catch {
    return undefined;
  }
}

async function probeReady(url: string): Promise<string> {
  try {
    const response = await fetch(`${url}/readyz`, {
      signal: AbortSignal.timeout(READY_PROBE_TIMEOUT_IN_MS),
    });
    const body = (await response.json().catch(() => ({}))) as { message?: string };
    return response.status === 200
      ? 'ready'
      : `not ready (${response.status}${body.message === undefined ? '' : `: ${body.message}`})`;
  } catch {
    return 'not reachable';
  }
}

/**
 * `qwen-relay service status`: whether the unit or agent is installed, what it runs, which
 * settings it has (names only, never values), what systemctl / launchctl say when they exist,
 * and whether the proxy answers `/readyz` on its configured address. Exit code 0 when
 * installed and ready, 1 otherwise.
 */
export async function runServiceStatus({
  environment = createServiceEnvironment(),
  ...context
}: CommandContext & { environment?: ServiceEnvironment }): Promise<number> {
  const paths = requireServicePaths(environment);
  const { stdout } = context;
  const installed = await stat(paths.definitionPath).then(
    () => true,
    () => false,
  );
  if (!installed) {
    stdout.write(
      `service: not installed (${paths.definitionPath} does not exist; run \`qwen-relay service install\`)\n`,
    );
    return EXIT_CODES.failure;
  }
  stdout.write(`service: installed (${paths.manager}: ${paths.definitionPath})\n`);
  const settings = await readSettings(paths.settingsPath);
  const mode = await stat(paths.settingsPath).then(
    (stats) => (stats.mode & 0o777).toString(8).padStart(4, '0'),
    () => undefined,
  );
  stdout.write(
    settings === undefined
      ? `settings: ${paths.settingsPath} is missing or unreadable\n`
      : `settings: ${paths.settingsPath} (mode ${mode}): ${Object.keys(settings).join(', ') || 'none'}\n`,
  );

  const managerCommand =
    paths.manager === 'systemd'
      ? { file: 'systemctl', args: ['--user', 'is-active', SERVICE_NAME] }
      : { file: 'launchctl', args: ['print', `gui/${environment.userId}/${LAUNCHD_LABEL}`] };
  const managerResult = await environment.runCommand(managerCommand);
  if (managerResult === undefined) {
    stdout.write(`${managerCommand.file}: not found here\n`);
  } else if (paths.manager === 'systemd') {
    stdout.write(`systemd: ${managerResult.stdout.trim() || 'unknown'}\n`);
  } else {
    const state = /^\s*state = (.+)$/m.exec(managerResult.stdout)?.[1];
    stdout.write(`launchd: ${managerResult.code === 0 ? (state ?? 'loaded') : 'not loaded'}\n`);
  }

  const host = settings?.HOST ?? '127.0.0.1';
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${settings?.PORT ?? '8080'}`;
  const readiness = await probeReady(url);
  stdout.write(`proxy: ${readiness} at ${url} (status page ${url}/)\n`);
  return readiness === 'ready' ? EXIT_CODES.ok : EXIT_CODES.failure;
}
