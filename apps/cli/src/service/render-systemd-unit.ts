/** Quotes one ExecStart argument: systemd's double quotes, `%` specifiers and `$` escaped. */
function quoteSystemdArgument(argument: string): string {
  const escaped = argument
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/%/g, '%%')
    .replace(/\$/g, '$$$$');
  return `"${escaped}"`;
}

/**
 * The systemd user unit that runs `qwen-relay serve` from the settings directory (where `serve`
 * reads `.env`), restarts it when it fails, and gives it the shutdown grace period plus a margin
 * to finish in-flight streams on `systemctl stop`. It holds no setting values, so no secret.
 */
export function renderSystemdUnit({
  command,
  workingDirectory,
  stopTimeoutInSeconds,
}: {
  /** absolute node path, CLI script, `serve` */
  command: readonly string[];
  workingDirectory: string;
  stopTimeoutInSeconds: number;
}): string {
  return [
    '# Written by `qwen-relay service install`; `qwen-relay service uninstall` removes it.',
    '# Settings: .env in WorkingDirectory (mode 0600), read by `qwen-relay serve --env-file`.',
    '[Unit]',
    'Description=qwen-relay: OpenAI-compatible proxy for Qwen',
    'After=network-online.target',
    'Wants=network-online.target',
    '',
    '[Service]',
    'Type=simple',
    `WorkingDirectory=${workingDirectory.replace(/%/g, '%%')}`,
    `ExecStart=${command.map(quoteSystemdArgument).join(' ')}`,
    'Restart=on-failure',
    'RestartSec=5',
    `TimeoutStopSec=${stopTimeoutInSeconds}`,
    'UMask=0077',
    'NoNewPrivileges=yes',
    '',
    '[Install]',
    'WantedBy=default.target',
    '',
  ].join('\n');
}
