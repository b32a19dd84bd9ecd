import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeQwen, type FakeQwenOptions, startFakeQwen } from '@qwen-relay/fake-qwen';
import OpenAI from 'openai';
import type { RunningProxy, StartProxyOptions } from '../../src/index';
import { loadBuiltProxy } from './load-built-proxy';

/** Tests wait for conditions instead of sleeping; the one shared implementation. */
export { waitFor } from '@qwen-relay/fake-qwen/testing';

/** A fake upstream, a temp QWEN_DIR and the built proxy between them, plus an OpenAI client. */
export interface TestEnvironment {
  fake: FakeQwen;
  qwenDir: string;
  /** credentials file of the default account */
  credentialsPath: string;
  proxy: RunningProxy;
  openai: OpenAI;
  /** every log line the proxy wrote (JSON format) */
  logLines: string[];
  /** parsed log lines */
  logEntries(): Array<Record<string, unknown>>;
  close(): Promise<void>;
}

/** Starts everything; `credentials` decides what the temp QWEN_DIR holds before the proxy starts. */
export async function startTestEnvironment({
  fakeOptions = {},
  env = {},
  credentials = 'valid',
  prepareQwenDir,
  configureEnv,
  traceSpanProcessor,
}: {
  fakeOptions?: FakeQwenOptions;
  /** extra settings, as environment variables */
  env?: Record<string, string>;
  credentials?: 'valid' | 'expired' | 'none';
  prepareQwenDir?: (options: { fake: FakeQwen; qwenDir: string }) => Promise<void>;
  /** settings that depend on the running fake (its URL, a key it issued) */
  configureEnv?: (options: { fake: FakeQwen }) => Record<string, string>;
  /** receives every span (turns tracing on) */
  traceSpanProcessor?: StartProxyOptions['traceSpanProcessor'];
} = {}): Promise<TestEnvironment> {
  const fake = await startFakeQwen(fakeOptions);
  const qwenDir = await mkdtemp(join(tmpdir(), 'qwen-relay-proxy-'));
  const credentialsPath = join(qwenDir, 'oauth_creds.json');
  if (credentials === 'valid') await fake.writeCredentialsFile({ dir: qwenDir });
  if (credentials === 'expired')
    await fake.writeCredentialsFile({ dir: qwenDir, expiresInSeconds: -60 });
  await prepareQwenDir?.({ fake, qwenDir });

  const { parseProxyConfig, startProxy } = await loadBuiltProxy();
  const logLines: string[] = [];
  const config = parseProxyConfig({
    env: {
      PORT: '0',
      QWEN_DIR: qwenDir,
      STATE_DIR: join(qwenDir, 'state'),
      QWEN_OAUTH_BASE_URL: fake.url,
      LOG_LEVEL: 'debug',
      LOG_FORMAT: 'json',
      // quick retries keep fault tests fast; the policy itself is qwen-client's
      RETRY_BASE_DELAY_MS: '10',
      RETRY_MAX_DELAY_MS: '50',
      SHUTDOWN_GRACE_MS: '2000',
      ...env,
      ...configureEnv?.({ fake }),
    },
  });
  const proxy = await startProxy({
    ...config,
    writeLogLine: (line) => logLines.push(line),
    ...(traceSpanProcessor === undefined ? {} : { traceSpanProcessor }),
  });
  const openai = new OpenAI({
    baseURL: `${proxy.url}/v1`,
    apiKey: env.PROXY_API_KEYS?.split(',')[0] ?? 'not-needed',
    maxRetries: 0,
  });
  return {
    fake,
    qwenDir,
    credentialsPath,
    proxy,
    openai,
    logLines,
    logEntries: () => logLines.map((line) => JSON.parse(line) as Record<string, unknown>),
    async close() {
      await proxy.close();
      await fake.close();
      await rm(qwenDir, { recursive: true, force: true });
    },
  };
}
