import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { parseProxyConfig, startProxy } from '@qwen-relay/proxy';
import { describe, expect, it } from 'vitest';
import { runServiceInstall } from '../src/commands/service-install';
import { runServiceStatus } from '../src/commands/service-status';
import { runServiceUninstall } from '../src/commands/service-uninstall';
import type { CommandResult, ServiceEnvironment } from '../src/service/service-environment';
import { createTestContext, runInProcess } from './helpers/create-test-io';
import { useFakeQwenEnvironment } from './helpers/use-fake-qwen-environment';

const PROXY_KEY = 'service-test-proxy-key-5d1e';

/** A machine without an init system: records the commands, answers as scripted. */
function createMachine({
  platform,
  homeDir,
  cwd,
  managerInstalled = true,
  answer = () => ({ code: 0, stdout: '', stderr: '' }),
}: {
  platform: NodeJS.Platform;
  homeDir: string;
  cwd: string;
  managerInstalled?: boolean;
  answer?: (commandLine: string) => CommandResult;
}): ServiceEnvironment & { commands: string[] } {
  const commands: string[] = [];
  return {
    platform,
    homeDir,
    userId: 501,
    nodePath: '/usr/local/bin/node',
    cliPath: '/opt/qwen relay/lib/node_modules/@qwen-relay/cli/dist/main.js',
    cwd,
    commands,
    async runCommand({ file, args }) {
      const commandLine = [file, ...args].join(' ');
      commands.push(commandLine);
      return managerInstalled ? answer(commandLine) : undefined;
    },
  };
}

async function modeOf(path: string): Promise<string> {
  return ((await stat(path)).mode & 0o777).toString(8);
}

describe('qwen-relay service (generated files; no init system here)', () => {
  const setup = useFakeQwenEnvironment();

  it('install on Linux writes a systemd user unit without secrets and a 0600 .env, then starts it', async () => {
    const home = join(setup.dir, 'home');
    const project = join(setup.dir, 'project');
    await mkdir(project, { recursive: true });
    // the current settings: the env file named by --env-file, the environment over it, flags
    // over both (a .env in the working directory is never read)
    await writeFile(join(project, 'relay.env'), `PROXY_API_KEYS=${PROXY_KEY}\nPORT=7000\n`);
    const machine = createMachine({
      platform: 'linux',
      homeDir: home,
      cwd: project,
      answer: (commandLine) =>
        commandLine.includes('is-active')
          ? { code: 3, stdout: 'inactive\n', stderr: '' }
          : { code: 0, stdout: '', stderr: '' },
    });
    const { context, io } = createTestContext({
      env: { QWEN_DIR: join(setup.dir, 'qwen'), LOG_LEVEL: 'debug', PORT: '7100' },
    });

    const code = await runServiceInstall({
      ...context,
      environment: machine,
      proxyArguments: ['--port', '7200', '--shutdown-grace-ms', '20000', '--env-file', 'relay.env'],
    });
    expect(code).toBe(0);

    const unitPath = join(home, '.config', 'systemd', 'user', 'qwen-relay.service');
    const unit = await readFile(unitPath, 'utf8');
    expect(unit).toContain(`WorkingDirectory=${join(home, '.config', 'qwen-relay')}\n`);
    expect(unit).toContain(
      `ExecStart="/usr/local/bin/node" "/opt/qwen relay/lib/node_modules/@qwen-relay/cli/dist/main.js" "serve" "--env-file" "${join(home, '.config', 'qwen-relay', '.env')}"\n`,
    );
    expect(unit).toContain('Restart=on-failure\n');
    expect(unit).toContain('TimeoutStopSec=35\n');
    expect(unit).toContain('[Install]\nWantedBy=default.target\n');
    expect(unit).not.toContain(PROXY_KEY);
    expect(await modeOf(unitPath)).toBe('644');

    const envPath = join(home, '.config', 'qwen-relay', '.env');
    expect(await modeOf(envPath)).toBe('600');
    expect(await modeOf(join(home, '.config', 'qwen-relay'))).toBe('700');
    expect(parseEnv(await readFile(envPath, 'utf8'))).toEqual({
      PORT: '7200',
      QWEN_DIR: join(setup.dir, 'qwen'),
      PROXY_API_KEYS: PROXY_KEY,
      LOG_LEVEL: 'debug',
      SHUTDOWN_GRACE_MS: '20000',
    });

    expect(machine.commands).toEqual([
      'systemctl --user is-active --quiet qwen-relay',
      'systemctl --user daemon-reload',
      'systemctl --user enable --now qwen-relay',
    ]);
    const output = io.stdoutText();
    expect(output).toContain('Ran: systemctl --user enable --now qwen-relay');
    expect(output).toContain('http://127.0.0.1:7200/');
    expect(output).toContain('journalctl --user -u qwen-relay -f');
    expect(output).toContain('PROXY_API_KEYS');
    expect(output).not.toContain(PROXY_KEY);
  });

  it('install restarts a running service so new settings apply', async () => {
    const machine = createMachine({ platform: 'linux', homeDir: setup.dir, cwd: setup.dir });
    const { context } = createTestContext({ env: { QWEN_DIR: setup.dir } });
    expect(await runServiceInstall({ ...context, environment: machine, proxyArguments: [] })).toBe(
      0,
    );
    expect(machine.commands.at(-1)).toBe('systemctl --user restart qwen-relay');
  });

  it('install without systemctl writes the files and prints the commands to run', async () => {
    const machine = createMachine({
      platform: 'linux',
      homeDir: setup.dir,
      cwd: setup.dir,
      managerInstalled: false,
    });
    const { context, io } = createTestContext({ env: { QWEN_DIR: setup.dir } });
    expect(await runServiceInstall({ ...context, environment: machine, proxyArguments: [] })).toBe(
      0,
    );
    expect(io.stdoutText()).toContain(
      'systemctl was not found here, so nothing was started. To start the service:\n  systemctl --user daemon-reload && systemctl --user enable --now qwen-relay\n',
    );
    await expect(
      stat(join(setup.dir, '.config', 'systemd', 'user', 'qwen-relay.service')),
    ).resolves.toBeTruthy();
  });

  it('install reports a failing systemctl with the commands to run later', async () => {
    const machine = createMachine({
      platform: 'linux',
      homeDir: setup.dir,
      cwd: setup.dir,
      answer: (commandLine) =>
        commandLine.endsWith('daemon-reload')
          ? { code: 1, stdout: '', stderr: 'Failed to connect to bus: No medium found' }
          : { code: 3, stdout: '', stderr: '' },
    });
    const { context, io } = createTestContext({ env: { QWEN_DIR: setup.dir } });
    expect(await runServiceInstall({ ...context, environment: machine, proxyArguments: [] })).toBe(
      1,
    );
    expect(io.stderrText()).toContain(
      '`systemctl --user daemon-reload` failed: Failed to connect to bus: No medium found',
    );
    expect(machine.commands).not.toContain('systemctl --user enable --now qwen-relay');
  });

  it('install on macOS writes a launchd agent and bootstraps it in the gui domain', async () => {
    const machine = createMachine({ platform: 'darwin', homeDir: setup.dir, cwd: setup.dir });
    const { context, io } = createTestContext({
      env: { QWEN_DIR: setup.dir, QWEN_API_KEY: 'sk-service-test-key-123456' },
    });
    expect(await runServiceInstall({ ...context, environment: machine, proxyArguments: [] })).toBe(
      0,
    );
    const plistPath = join(
      setup.dir,
      'Library',
      'LaunchAgents',
      'io.github.qwen-relay.serve.plist',
    );
    const plist = await readFile(plistPath, 'utf8');
    expect(plist).toContain('<key>Label</key><string>io.github.qwen-relay.serve</string>');
    expect(plist).toContain(
      `<array>\n    <string>/usr/local/bin/node</string>\n    <string>/opt/qwen relay/lib/node_modules/@qwen-relay/cli/dist/main.js</string>\n    <string>serve</string>\n    <string>--env-file</string>\n    <string>${join(setup.dir, '.config', 'qwen-relay', '.env')}</string>\n  </array>`,
    );
    expect(plist).toContain(
      `<key>WorkingDirectory</key><string>${join(setup.dir, '.config', 'qwen-relay')}</string>`,
    );
    expect(plist).toContain('<key>RunAtLoad</key><true/>');
    expect(plist).toContain(
      `<key>StandardOutPath</key><string>${join(setup.dir, 'Library', 'Logs', 'qwen-relay', 'qwen-relay.log')}</string>`,
    );
    expect(plist).not.toContain('sk-service-test-key');
    expect(await modeOf(plistPath)).toBe('644');
    const envText = await readFile(join(setup.dir, '.config', 'qwen-relay', '.env'), 'utf8');
    expect(parseEnv(envText).QWEN_API_KEY).toBe('sk-service-test-key-123456');
    expect(machine.commands).toEqual([
      'launchctl bootout gui/501/io.github.qwen-relay.serve',
      `launchctl bootstrap gui/501 ${plistPath}`,
    ]);
    expect(io.stdoutText()).toContain('starts at login');
  });

  it('install refuses invalid settings before writing anything', async () => {
    const machine = createMachine({ platform: 'linux', homeDir: setup.dir, cwd: setup.dir });
    const { context } = createTestContext({ env: { QWEN_DIR: setup.dir } });
    await expect(
      runServiceInstall({ ...context, environment: machine, proxyArguments: ['--port', 'eighty'] }),
    ).rejects.toThrow('Invalid PORT (--port="eighty")');
    await expect(
      runServiceInstall({ ...context, environment: machine, proxyArguments: ['--nope'] }),
    ).rejects.toThrow(/Unknown flag --nope/);
    await expect(stat(join(setup.dir, '.config', 'qwen-relay', '.env'))).rejects.toThrow();
    expect(machine.commands).toEqual([]);
  });

  it('uninstall stops and removes the unit, keeps the settings and says where', async () => {
    const machine = createMachine({ platform: 'linux', homeDir: setup.dir, cwd: setup.dir });
    const { context, io } = createTestContext({ env: { QWEN_DIR: setup.dir } });
    await runServiceInstall({ ...context, environment: machine, proxyArguments: [] });
    machine.commands.length = 0;

    expect(await runServiceUninstall({ ...context, environment: machine })).toBe(0);
    expect(machine.commands).toEqual([
      'systemctl --user disable --now qwen-relay',
      'systemctl --user daemon-reload',
    ]);
    await expect(
      stat(join(setup.dir, '.config', 'systemd', 'user', 'qwen-relay.service')),
    ).rejects.toThrow();
    await expect(stat(join(setup.dir, '.config', 'qwen-relay', '.env'))).resolves.toBeTruthy();
    expect(io.stdoutText()).toContain('Kept the settings in');

    const again = createTestContext({ env: { QWEN_DIR: setup.dir } });
    expect(await runServiceUninstall({ ...again.context, environment: machine })).toBe(0);
    expect(again.io.stdoutText()).toContain('The qwen-relay service is not installed');
  });

  it('status names the settings (not their values) and probes /readyz of the running proxy', async () => {
    await setup.fake.writeCredentialsFile({ dir: setup.dir });
    const proxy = await startProxy({
      ...parseProxyConfig({
        env: { PORT: '0', QWEN_DIR: setup.dir, QWEN_OAUTH_BASE_URL: setup.fake.url },
      }),
      writeLogLine: () => {},
    });
    try {
      const machine = createMachine({
        platform: 'linux',
        homeDir: setup.dir,
        cwd: setup.dir,
        answer: (commandLine) =>
          commandLine === 'systemctl --user is-active qwen-relay'
            ? { code: 0, stdout: 'active\n', stderr: '' }
            : { code: 0, stdout: '', stderr: '' },
      });
      const { context } = createTestContext({
        env: { QWEN_DIR: setup.dir, PROXY_API_KEYS: PROXY_KEY },
      });
      const notYet = createTestContext({ env: {} });
      expect(await runServiceStatus({ ...notYet.context, environment: machine })).toBe(1);
      expect(notYet.io.stdoutText()).toContain('service: not installed');

      await runServiceInstall({
        ...context,
        environment: machine,
        proxyArguments: ['--port', String(proxy.port)],
      });
      const status = createTestContext({ env: {} });
      expect(await runServiceStatus({ ...status.context, environment: machine })).toBe(0);
      const output = status.io.stdoutText();
      expect(output).toContain('service: installed (systemd: ');
      expect(output).toContain('(mode 0600): PORT, PROXY_API_KEYS, QWEN_DIR');
      expect(output).not.toContain(PROXY_KEY);
      expect(output).toContain('systemd: active');
      expect(output).toContain(`proxy: ready at http://127.0.0.1:${proxy.port}`);
    } finally {
      await proxy.close();
    }
    const stopped = createTestContext({ env: {} });
    const machine = createMachine({ platform: 'linux', homeDir: setup.dir, cwd: setup.dir });
    expect(await runServiceStatus({ ...stopped.context, environment: machine })).toBe(1);
    expect(stopped.io.stdoutText()).toContain('proxy: not reachable');
  });

  it('is a clear error on a platform without systemd or launchd, and is listed in --help', async () => {
    const machine = createMachine({ platform: 'win32', homeDir: setup.dir, cwd: setup.dir });
    const { context } = createTestContext({ env: { QWEN_DIR: setup.dir } });
    await expect(
      runServiceInstall({ ...context, environment: machine, proxyArguments: [] }),
    ).rejects.toThrow(/supports Linux \(systemd\) and macOS \(launchd\), not win32/);

    const help = await runInProcess({ args: ['service', '--help'], env: {} });
    expect(help.code).toBe(0);
    for (const command of ['install', 'uninstall', 'status'])
      expect(help.stdout).toContain(command);
  });
});
