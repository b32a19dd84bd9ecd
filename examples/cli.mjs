// @qwen-relay/cli: the `qwen-relay` command. Logs in with the device flow (fake-qwen approves
// at once, standing in for the browser), then reads the account status as JSON.
// No account needed: `node examples/cli.mjs`.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startFakeQwen } from '@qwen-relay/fake-qwen';

const require = createRequire(import.meta.url);
const cliPackagePath = require.resolve('@qwen-relay/cli/package.json');
const qwenRelayBin = path.join(
  path.dirname(cliPackagePath),
  require('@qwen-relay/cli/package.json').bin['qwen-relay'],
);
const run = promisify(execFile);

const fake = await startFakeQwen({ autoApprove: true });
const qwenDir = await mkdtemp(path.join(tmpdir(), 'qwen-relay-example-'));
try {
  // the same settings work as --qwen-dir / --oauth-base-url flags
  const env = { ...process.env, QWEN_DIR: qwenDir, QWEN_OAUTH_BASE_URL: fake.url, NO_COLOR: '1' };

  const login = await run(process.execPath, [qwenRelayBin, 'auth', 'login', '--no-browser'], {
    env,
  });
  console.log(
    login.stdout
      .trim()
      .split('\n')
      .find((line) => line.startsWith('Logged in')),
  );
  const credentials = await stat(path.join(qwenDir, 'oauth_creds.json'));
  console.log(`credentials file mode: ${(credentials.mode & 0o777).toString(8)}`);

  const status = await run(process.execPath, [qwenRelayBin, 'auth', 'status', '--json'], { env });
  const [account] = JSON.parse(status.stdout).accounts;
  console.log(`account ${account.accountId}: ${account.state}`);
} finally {
  await rm(qwenDir, { recursive: true, force: true });
  await fake.close();
}
