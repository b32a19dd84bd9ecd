// @qwen-relay/token-manager: an expired OAuth file is refreshed once, even for concurrent
// callers; a 401 on a token refreshes it once more; the rotated pair lands in the file.
// Runs against fake-qwen in a temporary directory: `node examples/token-manager.mjs`.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFakeQwen } from '@qwen-relay/fake-qwen';
import { createQwenOAuthTokenManager, getCredentialsPath } from '@qwen-relay/token-manager';

const fake = await startFakeQwen();
const qwenDir = await mkdtemp(path.join(tmpdir(), 'qwen-relay-example-'));
try {
  // credentials that expired a minute ago, as qwen-code would have left them
  await fake.writeCredentialsFile({ dir: qwenDir, expiresInSeconds: -60 });

  const manager = createQwenOAuthTokenManager({
    accountId: 'default',
    credentialsPath: getCredentialsPath({ qwenDir, accountId: 'default' }),
    oauthBaseUrl: fake.url, // https://chat.qwen.ai in real use
    onEvent: (event) => console.log(`event: ${event.type}`), // events never carry tokens
  });
  await manager.start();

  // three concurrent callers share one refresh
  const tokens = await Promise.all([1, 2, 3].map(() => manager.getAccessToken()));
  console.log(`same token for all callers: ${tokens.every((token) => token === tokens[0])}`);
  console.log(`refresh calls after three callers: ${fake.counters.refreshCalls}`);

  // the upstream said 401 for this token: invalidate refreshes it (once, however many 401s)
  const next = await manager.invalidate(tokens[0], 'unauthorized');
  console.log(`new token after a 401: ${next.accessToken !== tokens[0].accessToken}`);
  console.log(`refresh calls after the 401: ${fake.counters.refreshCalls}`);

  const status = manager.getStatus();
  console.log(`state: ${status.state}, seconds to expiry: ${status.secondsToExpiry}`);

  const file = JSON.parse(
    await readFile(getCredentialsPath({ qwenDir, accountId: 'default' }), 'utf8'),
  );
  console.log(`file holds the rotated token: ${file.access_token === next.accessToken}`);
  await manager.close();
} finally {
  await rm(qwenDir, { recursive: true, force: true });
  await fake.close();
}
