// `pnpm demo`: the real proxy against the fake upstream, no account needed.
// Starts fake-qwen in-process, writes demo credentials into a fresh temp dir (never ~/.qwen),
// starts the built proxy against it, then sends one streaming and one non-streaming request
// with the official `openai` client and prints what came back.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeQwen } from '@qwen-relay/fake-qwen';
import { parseProxyConfig, startProxy } from '@qwen-relay/proxy';
import OpenAI from 'openai';

const print = (line = '') => process.stdout.write(`${line}\n`);

const fake = await startFakeQwen({ stream: { chunkCount: 12, chunkDelayInMs: 30 } });
const qwenDir = await mkdtemp(join(tmpdir(), 'qwen-relay-demo-'));
// an already-expired token: the first request shows the proxy refreshing it before use
await fake.writeCredentialsFile({ dir: qwenDir, expiresInSeconds: -60 });

const proxy = await startProxy({
  ...parseProxyConfig({
    env: {
      PORT: '0',
      QWEN_DIR: qwenDir,
      STATE_DIR: join(qwenDir, 'state'),
      QWEN_OAUTH_BASE_URL: fake.url,
      LOG_LEVEL: 'info',
    },
  }),
  writeLogLine: (line) => print(`  [proxy] ${line}`),
});

let exitCode = 0;
try {
  print(`fake upstream: ${fake.url}`);
  print(`credentials:   ${join(qwenDir, 'oauth_creds.json')} (temporary)`);
  print(`proxy:         ${proxy.url}/v1`);
  print();

  const openai = new OpenAI({ baseURL: `${proxy.url}/v1`, apiKey: 'demo' });

  print('1) non-streaming chat completion');
  const completion = await openai.chat.completions.create({
    model: 'coder-model',
    messages: [{ role: 'user', content: 'Say hello to the demo.' }],
  });
  print(`   model:   ${completion.model}`);
  print(`   answer:  ${completion.choices[0]?.message.content}`);
  print(`   usage:   ${JSON.stringify(completion.usage)}`);
  print();

  print('2) streaming chat completion');
  const stream = await openai.chat.completions.create({
    model: 'coder-model',
    messages: [{ role: 'user', content: 'Stream a short answer.' }],
    stream: true,
    stream_options: { include_usage: true },
  });
  let answer = '';
  let usage;
  let chunkCount = 0;
  for await (const chunk of stream) {
    chunkCount += 1;
    answer += chunk.choices[0]?.delta.content ?? '';
    usage = chunk.usage ?? usage;
  }
  print(`   answer:  ${answer}`);
  print(`   usage:   ${JSON.stringify(usage)}`);
  print(`   chunks:  ${chunkCount}`);
  print();

  const health = await (await fetch(`${proxy.url}/health`)).json();
  print(`health: ${JSON.stringify(health.accounts)}`);
  print(
    `upstream refreshes: ${fake.counters.refreshCalls}, chat calls: ${fake.counters.chatCalls}`,
  );
} catch (error) {
  exitCode = 1;
  print(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await proxy.close();
  await fake.close();
  await rm(qwenDir, { recursive: true, force: true });
}
process.exit(exitCode);
