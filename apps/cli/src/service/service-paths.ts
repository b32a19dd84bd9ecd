import { join } from 'node:path';
import type { ServiceEnvironment, ServiceManager } from './service-environment';

/** Name of the systemd unit and base of the launchd label. */
export const SERVICE_NAME = 'qwen-relay';

/** launchd label of the agent. */
export const LAUNCHD_LABEL = 'io.github.qwen-relay.serve';

/** Where the service's files live on this machine. */
export interface ServicePaths {
  manager: ServiceManager;
  /** the unit file or the agent plist (no secrets in it) */
  definitionPath: string;
  /** the service's working directory; `serve --env-file` reads its settings from `.env` there */
  settingsDir: string;
  /** `<settingsDir>/.env`, mode 0600: it may hold API keys */
  settingsPath: string;
  /** launchd only: where the agent's output goes (systemd uses the journal) */
  logPath?: string;
}

/** The paths for `environment.platform`, or undefined where no per-user service manager is known. */
export function resolveServicePaths(environment: ServiceEnvironment): ServicePaths | undefined {
  const { homeDir } = environment;
  const settingsDir = join(homeDir, '.config', SERVICE_NAME);
  const settingsPath = join(settingsDir, '.env');
  if (environment.platform === 'linux') {
    return {
      manager: 'systemd',
      definitionPath: join(homeDir, '.config', 'systemd', 'user', `${SERVICE_NAME}.service`),
      settingsDir,
      settingsPath,
    };
  }
  if (environment.platform === 'darwin') {
    return {
      manager: 'launchd',
      definitionPath: join(homeDir, 'Library', 'LaunchAgents', `${LAUNCHD_LABEL}.plist`),
      settingsDir,
      settingsPath,
      logPath: join(homeDir, 'Library', 'Logs', SERVICE_NAME, `${SERVICE_NAME}.log`),
    };
  }
  return undefined;
}
