// @qwen-relay/qwen-client: one chat call that survives a 429 (Retry-After honoured) and a 401
// (refresh, then retry once), and one streaming call read as raw Qwen SSE.
// Runs against fake-qwen in a temporary directory: `node examples/qwen-client.mjs`.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { faults, startFakeQwen } from '@qwen-relay/fake-qwen';
import { createQwenClient } from '@qwen-relay/qwen-client';
import { createQwenOAuthTokenManager, getCredentialsPath } from '@qwen-relay/token-manager';

const fake = await startFakeQwen({ stream: { chunkCount: 3 } });
const qwenDir = await mkdtemp(path.join(tmpdir(), 'qwen-relay-example-'));
try {
  // valid credentials whose resource_url is the fake, so chat calls go there
  await fake.writeCredentialsFile({ dir: qwenDir });
  const account = createQwenOAuthTokenManager({
    accountId: 'default',
    credentialsPath: getCredentialsPath({ qwenDir, accountId: 'default' }),
    oauthBaseUrl: fake.url,
  });
  await account.start();
  const client = createQwenClient({
    accounts: [account],
    onEvent: (event) => console.log(`event: ${event.type}`),
  });

  // the next two chat calls fail: a throttle, then an expired-token 401
  fake.inject(faults.rateLimited({ retryAfterInSeconds: 0 }));
  fake.inject(faults.unauthorized());
  const json = await client.chatCompletion({
    payload: { model: 'coder-model', messages: [{ role: 'user', content: 'Hi' }], stream: false },
  });
  console.log(`answer after ${json.attempts.length} attempts: ${json.kind} ${json.status}`);
  console.log(`refresh calls: ${fake.counters.refreshCalls}`);

  const streamed = await client.chatCompletion({
    payload: {
      model: 'coder-model',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
      stream_options: { include_usage: true },
    },
  });
  if (streamed.kind !== 'stream') throw new Error('expected a stream');
  const decoder = new TextDecoder();
  let events = 0;
  for await (const bytes of streamed.body) {
    events += decoder.decode(bytes, { stream: true }).split('\n\n').length - 1;
  }
  console.log(`SSE events read: ${events}, stream ended: ${(await streamed.ended).state}`);

  await client.close();
  await account.close();
} finally {
  await rm(qwenDir, { recursive: true, force: true });
  await fake.close();
}
