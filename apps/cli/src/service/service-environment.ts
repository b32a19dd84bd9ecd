/** Result of running an init-system command. */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Which init system a platform uses for per-user services. */
export type ServiceManager = 'systemd' | 'launchd';

/**
 * What `qwen-relay service` needs from the machine, injected so tests check the generated files
 * without an init system: the platform, the home directory, how the CLI itself is started, and
 * a way to run `systemctl` / `launchctl` (undefined when the program does not exist).
 */
export interface ServiceEnvironment {
  platform: NodeJS.Platform;
  homeDir: string;
  /** numeric user id (launchd's `gui/<uid>` domain) */
  userId: number;
  /** absolute path of the node binary running the CLI */
  nodePath: string;
  /** absolute path of the CLI's entry script */
  cliPath: string;
  /** the working directory, where a `.env` of the current settings may live */
  cwd: string;
  runCommand(options: {
    file: string;
    args: readonly string[];
  }): Promise<CommandResult | undefined>;
}
