function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/**
 * The launchd agent that runs `qwen-relay serve` at login from the settings directory (where
 * `serve` reads `.env`), restarts it when it exits with an error, and lets it finish in-flight
 * streams on stop. It holds no setting values, so no secret.
 */
export function renderLaunchdPlist({
  label,
  command,
  workingDirectory,
  logPath,
  stopTimeoutInSeconds,
}: {
  label: string;
  /** absolute node path, CLI script, `serve` */
  command: readonly string[];
  workingDirectory: string;
  logPath: string;
  stopTimeoutInSeconds: number;
}): string {
  const string = (value: string) => `<string>${escapeXml(value)}</string>`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<!-- Written by `qwen-relay service install`; `qwen-relay service uninstall` removes it. -->',
    '<plist version="1.0">',
    '<dict>',
    `  <key>Label</key>${string(label)}`,
    '  <key>ProgramArguments</key>',
    '  <array>',
    ...command.map((argument) => `    ${string(argument)}`),
    '  </array>',
    `  <key>WorkingDirectory</key>${string(workingDirectory)}`,
    '  <key>RunAtLoad</key><true/>',
    '  <key>KeepAlive</key><dict><key>SuccessfulExit</key><false/></dict>',
    '  <key>ThrottleInterval</key><integer>5</integer>',
    `  <key>ExitTimeOut</key><integer>${stopTimeoutInSeconds}</integer>`,
    '  <key>ProcessType</key><string>Background</string>',
    // 0077: files the proxy creates are private to the user
    '  <key>Umask</key><integer>63</integer>',
    `  <key>StandardOutPath</key>${string(logPath)}`,
    `  <key>StandardErrorPath</key>${string(logPath)}`,
    '</dict>',
    '</plist>',
    '',
  ].join('\n');
}
