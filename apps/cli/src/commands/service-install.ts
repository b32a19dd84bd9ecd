import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CliError } from '../errors/cli-error';
import { EXIT_CODES } from '../errors/exit-codes';
import { collectServiceSettings } from '../service/collect-service-settings';
import { createServiceEnvironment } from '../service/create-service-environment';
import { formatEnvFile } from '../service/format-env-file';
import { renderLaunchdPlist } from '../service/render-launchd-plist';
import { renderSystemdUnit } from '../service/render-systemd-unit';
import { runServiceCommands } from '../service/run-service-commands';
import type { ServiceEnvironment } from '../service/service-environment';
import {
  LAUNCHD_LABEL,
  resolveServicePaths,
  SERVICE_NAME,
  type ServicePaths,
} from '../service/service-paths';
import { writeFileWithMode } from '../service/write-file-with-mode';
import type { CommandContext } from './command-context';

/** Options of {@link runServiceInstall}. */
export interface ServiceInstallOptions {
  /** proxy flags given after `service install` (as for `serve`) */
  proxyArguments: readonly string[];
  /** the machine; tests pass their own */
  environment?: ServiceEnvironment;
}

// time the init system waits after SIGTERM beyond the proxy's own shutdown grace period
const STOP_MARGIN_IN_SECONDS = 15;

/** The paths for this platform, or a clear error where there is no per-user service manager. */
export function requireServicePaths(environment: ServiceEnvironment): ServicePaths {
  const paths = resolveServicePaths(environment);
  if (paths === undefined) {
    throw new CliError({
      code: 'QWEN_RELAY_CLI_USAGE',
      message: `qwen-relay service supports Linux (systemd) and macOS (launchd), not ${environment.platform}.`,
      hint: 'Run `qwen-relay serve` under your own service manager instead.',
    });
  }
  return paths;
}

/** The commands that load and start the service (shown, or run when the program exists). */
export function describeStartCommands({
  paths,
  environment,
}: {
  paths: ServicePaths;
  environment: ServiceEnvironment;
}): Array<{ file: string; args: string[]; mayFail?: boolean }> {
  if (paths.manager === 'systemd') {
    return [
      { file: 'systemctl', args: ['--user', 'daemon-reload'] },
      { file: 'systemctl', args: ['--user', 'enable', '--now', SERVICE_NAME] },
    ];
  }
  const domain = `gui/${environment.userId}`;
  return [
    // an agent loaded before is unloaded first, so the new plist is the one that runs
    { file: 'launchctl', args: ['bootout', `${domain}/${LAUNCHD_LABEL}`], mayFail: true },
    { file: 'launchctl', args: ['bootstrap', domain, paths.definitionPath] },
  ];
}

/**
 * `qwen-relay service install [proxy flags]`: writes a systemd user unit (Linux) or a launchd
 * agent (macOS) that runs `qwen-relay serve` at login with the current settings, kept in
 * `~/.config/qwen-relay/.env` (mode 0600; the unit or plist holds no setting values), then
 * starts it with systemctl / launchctl when they exist, or prints the commands to run.
 */
export async function runServiceInstall({
  proxyArguments,
  environment = createServiceEnvironment(),
  ...context
}: CommandContext & ServiceInstallOptions): Promise<number> {
  const paths = requireServicePaths(environment);
  const proxy = await import('@qwen-relay/proxy');
  const { settings, config } = collectServiceSettings({
    proxy,
    env: context.env,
    cwd: environment.cwd,
    homeDirectory: environment.homeDir,
    proxyArguments,
    qwenDir: context.qwenDir,
    oauthBaseUrl: context.oauthBaseUrl,
  });
  // named explicitly: `serve` reads no .env from its working directory
  const command = [
    environment.nodePath,
    environment.cliPath,
    'serve',
    '--env-file',
    paths.settingsPath,
  ];
  const stopTimeoutInSeconds = Math.ceil(config.shutdownGraceInMs / 1000) + STOP_MARGIN_IN_SECONDS;

  await writeFileWithMode({
    path: paths.settingsPath,
    text: formatEnvFile({
      settings,
      header: [
        'Settings of the qwen-relay service, written by `qwen-relay service install`.',
        'Read by `qwen-relay serve` at start; edit and restart the service to change them.',
      ],
    }),
    mode: 0o600,
  });
  const definition =
    paths.manager === 'systemd'
      ? renderSystemdUnit({ command, workingDirectory: paths.settingsDir, stopTimeoutInSeconds })
      : renderLaunchdPlist({
          label: LAUNCHD_LABEL,
          command,
          workingDirectory: paths.settingsDir,
          logPath: paths.logPath ?? `${paths.settingsDir}/${SERVICE_NAME}.log`,
          stopTimeoutInSeconds,
        });
  await writeFileWithMode({
    path: paths.definitionPath,
    text: definition,
    mode: 0o644,
    directoryMode: 0o755,
  });
  if (paths.logPath !== undefined) {
    // launchd opens the log itself but does not create its directory
    await mkdir(dirname(paths.logPath), { recursive: true, mode: 0o700 });
  }

  const { stdout } = context;
  stdout.write(
    `Wrote ${paths.definitionPath}\n  runs: ${command.join(' ')}\n` +
      `Wrote ${paths.settingsPath} (mode 0600): ${settings.map(([name]) => name).join(', ')}\n`,
  );

  const commands = describeStartCommands({ paths, environment });
  if (paths.manager === 'systemd') {
    // `enable --now` leaves a running service as it is: a reinstall restarts it for the new settings
    const active = await environment.runCommand({
      file: 'systemctl',
      args: ['--user', 'is-active', '--quiet', SERVICE_NAME],
    });
    if (active?.code === 0) {
      commands.push({ file: 'systemctl', args: ['--user', 'restart', SERVICE_NAME] });
    }
  }
  const outcome = await runServiceCommands({
    environment,
    commands,
    onRan: (commandLine) => stdout.write(`Ran: ${commandLine}\n`),
  });
  const manual = commands
    .filter((entry) => entry.mayFail !== true)
    .map((entry) => [entry.file, ...entry.args].join(' '))
    .join(' && ');
  const url = `http://${config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host}:${config.port}`;
  const logs =
    paths.manager === 'systemd'
      ? `journalctl --user -u ${SERVICE_NAME} -f`
      : `tail -f '${paths.logPath ?? ''}'`;

  if (outcome.kind === 'missing') {
    stdout.write(
      `${outcome.program} was not found here, so nothing was started. To start the service:\n  ${manual}\n`,
    );
    return EXIT_CODES.ok;
  }
  if (outcome.kind === 'failed') {
    context.stderr.write(
      `Could not start the service: \`${outcome.command}\` failed: ${outcome.detail}\n` +
        `The files are in place; once the problem is fixed, run:\n  ${manual}\n`,
    );
    return EXIT_CODES.failure;
  }
  stdout.write(
    `qwen-relay runs as a service now and starts at login: status page ${url}/, API ${url}/v1\n` +
      `Logs: ${logs}\n` +
      (paths.manager === 'systemd'
        ? 'To keep it running after logout and start it at boot: loginctl enable-linger $USER\n'
        : ''),
  );
  return EXIT_CODES.ok;
}
