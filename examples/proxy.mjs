// @qwen-relay/proxy: the OpenAI-compatible server, started in-process and used with the official
// `openai` client. fake-qwen plays the upstream and the credentials start out expired, so the
// first request refreshes them first: `node examples/proxy.mjs`.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFakeQwen } from '@qwen-relay/fake-qwen';
import { parseProxyConfig, startProxy } from '@qwen-relay/proxy';
import OpenAI from 'openai';

const fake = await startFakeQwen({ stream: { chunkCount: 4 } });
const qwenDir = await mkdtemp(path.join(tmpdir(), 'qwen-relay-example-'));
try {
  await fake.writeCredentialsFile({ dir: qwenDir, expiresInSeconds: -60 });
  // the same settings as the environment variables / flags of `qwen-relay serve`
  const config = parseProxyConfig({
    env: { PORT: '0', QWEN_DIR: qwenDir, QWEN_OAUTH_BASE_URL: fake.url, LOG_LEVEL: 'warn' },
  });
  const proxy = await startProxy({ ...config, writeLogLine: (line) => console.log(line) });
  try {
    const openai = new OpenAI({ baseURL: `${proxy.url}/v1`, apiKey: 'unused' });
    const completion = await openai.chat.completions.create({
      model: 'coder-model',
      messages: [{ role: 'user', content: 'Hello' }],
    });
    console.log(`non-streaming: ${completion.choices[0]?.message.content}`);

    const stream = await openai.chat.completions.create({
      model: 'coder-model',
      messages: [{ role: 'user', content: 'Hello' }],
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    console.log(`streaming: ${text}`);
    console.log(`upstream refreshes: ${fake.counters.refreshCalls}`);
  } finally {
    await proxy.close();
  }
} finally {
  await rm(qwenDir, { recursive: true, force: true });
  await fake.close();
}
