import { chmod, utimes, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { findFreePort, withReadOnlyDirectory } from '@qwen-relay/fake-qwen/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runInProcess } from './helpers/create-test-io';
import { useFakeQwenEnvironment } from './helpers/use-fake-qwen-environment';

async function listenOnFreePort(): Promise<Server> {
  // something else holds the port; doctor may knock on it (is a proxy running there?), and a
  // socket nobody reads would keep close() waiting, so connections are dropped at once
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  return server;
}
const portOf = (server: Server) => (server.address() as { port: number }).port;

describe('doctor', () => {
  const setup = useFakeQwenEnvironment();
  let busy: Server;

  beforeEach(async () => {
    busy = await listenOnFreePort();
  });
  afterEach(async () => {
    await new Promise((resolve) => busy.close(resolve));
  });

  const doctor = (args: string[], now?: () => number) =>
    runInProcess({
      args: ['doctor', ...args],
      env: { QWEN_DIR: setup.dir, QWEN_OAUTH_BASE_URL: setup.fake.url },
      ...(now === undefined ? {} : { now }),
    });

  it('a healthy setup: every line ok, exit 0', async () => {
    await setup.fake.writeCredentialsFile({ dir: setup.dir });
    const { code, stdout } = await doctor(['--port', String(await findFreePort())]);
    expect(stdout).toContain(
      `✓ default: credentials present and parseable (${join(setup.dir, 'oauth_creds.json')})`,
    );
    expect(stdout).toContain('✓ default: access token expires in 59 min');
    expect(stdout).toMatch(/^✓ .*oauth_creds\.json has mode 0600$/m);
    expect(stdout).toContain(`✓ OAuth server ${setup.fake.url} answers`);
    expect(stdout).toContain('✓ local clock agrees with the OAuth server');
    expect(stdout).toContain(`✓ API ${setup.fake.url}/v1 answers`);
    expect(stdout).toMatch(/✓ 127\.0\.0\.1:\d+ is free for `qwen-relay serve`/);
    expect(stdout).toContain('Everything looks fine.');
    expect(code).toBe(0);
  });

  it('finds a stale lock, a wrong file mode, a duplicated login and a busy port, each with a fix', async () => {
    const credentials = setup.fake.issueCredentials();
    const defaultPath = await setup.fake.writeCredentialsFile({ dir: setup.dir, credentials });
    await setup.fake.writeCredentialsFile({ dir: setup.dir, accountName: 'copy', credentials });
    await chmod(defaultPath, 0o644);
    const lockPath = join(setup.dir, 'oauth_creds.lock');
    await writeFile(lockPath, 'crashed');
    const longAgo = new Date(Date.now() - 120_000);
    await utimes(lockPath, longAgo, longAgo);

    const { code, stdout } = await doctor(['--port', String(portOf(busy))]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^! default: stale lock .*oauth_creds\.lock \(untouched for 2 min\)/m);
    expect(stdout).toContain(
      `fix: the next refresh removes it; or remove it now with \`rm '${lockPath}'\``,
    );
    expect(stdout).toContain(
      `! ${defaultPath} has mode 0644: other users can read the tokens in it`,
    );
    expect(stdout).toContain(`fix: run \`chmod 600 '${defaultPath}'\``);
    expect(stdout).toMatch(
      /^✗ accounts "default" and "copy" hold the same login \(same refresh token\)/m,
    );
    expect(stdout).toContain('fix: keep one: `qwen-relay auth remove copy`');
    expect(stdout).toMatch(new RegExp(`^! 127\\.0\\.0\\.1:${portOf(busy)} is already in use`, 'm'));
    expect(stdout).toMatch(/^1 problem, 3 warnings\.$/m);
    expect(stdout).not.toContain(credentials.refresh_token);
    expect(stdout).not.toContain(credentials.access_token);

    const { stdout: json } = await doctor(['--port', String(portOf(busy)), '--json']);
    const report = JSON.parse(json);
    expect(report.ok).toBe(false);
    const checks: Array<{ id: string; status: string }> = report.checks;
    for (const [id, status] of [
      ['lock', 'warn'],
      ['file-mode', 'warn'],
      ['duplicate-login', 'fail'],
      ['port', 'warn'],
    ]) {
      expect(checks).toContainEqual(expect.objectContaining({ id, status }));
    }
  });

  it('missing credentials, unreachable OAuth server', async () => {
    const closedUrl = `http://127.0.0.1:${await findFreePort()}`;
    const { code, stdout } = await runInProcess({
      args: ['doctor', '--port', String(await findFreePort()), '--timeout-ms', '2000'],
      env: { QWEN_DIR: setup.dir, QWEN_OAUTH_BASE_URL: closedUrl },
    });
    expect(code).toBe(1);
    expect(stdout).toContain(`✗ default: no credentials at ${join(setup.dir, 'oauth_creds.json')}`);
    expect(stdout).toContain('fix: run `qwen-relay auth login`');
    expect(stdout).toContain(
      `✗ OAuth server ${closedUrl} is not reachable: the connection was refused`,
    );
    expect(stdout).toContain('- clock not compared (OAuth server unreachable)');
  });

  it('names what is wrong with a corrupt file, without printing it', async () => {
    await writeFile(
      join(setup.dir, 'oauth_creds_half.json'),
      '{"access_token": "secret-value", "refre',
    );
    const { code, stdout } = await doctor(['--port', String(await findFreePort())]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^✗ half: .*oauth_creds_half\.json is unusable: not valid JSON/m);
    expect(stdout).toContain(
      'fix: move it aside (e.g. `qwen-relay auth logout --account half --yes`)',
    );
    expect(stdout).not.toContain('secret-value');
  });

  it('a clock two minutes ahead of the server is a problem', async () => {
    await setup.fake.writeCredentialsFile({ dir: setup.dir });
    const { code, stdout } = await doctor(
      ['--port', String(await findFreePort())],
      () => Date.now() + 120_000,
    );
    expect(code).toBe(1);
    expect(stdout).toMatch(/^✗ local clock is (1|2) min ahead of the OAuth server/m);
    expect(stdout).toContain('fix: synchronise the system clock');
  });

  it('a credentials directory this user cannot write: a failed check naming it and the fix', async () => {
    await setup.fake.writeCredentialsFile({ dir: setup.dir });
    const { code, stdout } = await withReadOnlyDirectory({
      dir: setup.dir,
      action: () => doctor(['--port', String(portOf(busy))]),
    });
    expect(code).toBe(1);
    expect(stdout).toMatch(/^✗ default: Cannot create .*oauth_creds\.lock \(EACCES\)/m);
    expect(stdout).toContain(`${setup.dir} is not writable`);
    expect(stdout).toContain('set QWEN_DIR to a writable directory');
  });
});
