import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeQwen, startFakeQwen } from '@qwen-relay/fake-qwen';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { BUILT_PROXY_MAIN } from './support/load-built-proxy';
import { startTestEnvironment, waitFor } from './support/start-test-environment';

interface SpawnedProxy {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  exited: Promise<number | null>;
}

async function spawnProxy({
  env,
  argv = [],
  dotEnv,
}: {
  env: Record<string, string>;
  argv?: string[];
  /** content of a .env file in the working directory */
  dotEnv?: string;
}): Promise<SpawnedProxy> {
  // a fresh working directory: no stray .env, and HOME inside it so ~/.qwen is never the real one
  const cwd = await mkdtemp(join(tmpdir(), 'qwen-relay-cwd-'));
  if (dotEnv !== undefined) await writeFile(join(cwd, '.env'), dotEnv);
  const child = spawn(process.execPath, [BUILT_PROXY_MAIN, ...argv], {
    env: { PATH: process.env.PATH ?? '', HOME: cwd, ...env },
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  child.stdout
    ?.setEncoding('utf8')
    .on('data', (text: string) => stdout.push(...text.split('\n').filter(Boolean)));
  child.stderr?.setEncoding('utf8').on('data', (text: string) => stderr.push(text));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      rm(cwd, { recursive: true, force: true }).finally(() => resolve(code));
    }),
  );
  return { child, stdout, stderr, exited };
}

describe('the proxy command', () => {
  let fake: FakeQwen | undefined;
  let qwenDir: string | undefined;
  let spawned: SpawnedProxy | undefined;
  afterEach(async () => {
    if (spawned !== undefined && spawned.child.exitCode === null) {
      spawned.child.kill('SIGKILL');
      await spawned.exited;
    }
    await fake?.close();
    if (qwenDir !== undefined) await rm(qwenDir, { recursive: true, force: true });
    spawned = undefined;
    fake = undefined;
    qwenDir = undefined;
  });

  it('stops on an invalid setting with a message naming it', async () => {
    spawned = await spawnProxy({ env: { PORT: 'eighty' } });
    expect(await spawned.exited).toBe(1);
    expect(spawned.stderr.join('')).toContain('PORT');
  });

  it('reads .env from the working directory, with the real environment winning', async () => {
    spawned = await spawnProxy({ env: {}, dotEnv: 'LOG_FORMAT=xml\n' });
    expect(await spawned.exited).toBe(1);
    expect(spawned.stderr.join('')).toContain('LOG_FORMAT');

    spawned = await spawnProxy({
      env: { LOG_FORMAT: 'json', PORT: 'x' },
      dotEnv: 'LOG_FORMAT=xml\n',
    });
    expect(await spawned.exited).toBe(1);
    expect(spawned.stderr.join('')).not.toContain('LOG_FORMAT');
    expect(spawned.stderr.join('')).toContain('PORT');
  });

  it('refuses a non-loopback bind without proxy keys', async () => {
    spawned = await spawnProxy({ env: {}, argv: ['--host', '0.0.0.0'] });
    expect(await spawned.exited).toBe(1);
    expect(spawned.stderr.join('')).toMatch(/HOST.*PROXY_API_KEYS/s);
  });

  it('lets an in-flight stream finish on SIGTERM, then exits 0 without leaving a lock', async () => {
    fake = await startFakeQwen({ stream: { chunkCount: 25, chunkDelayInMs: 40 } });
    qwenDir = await mkdtemp(join(tmpdir(), 'qwen-relay-shutdown-'));
    await fake.writeCredentialsFile({ dir: qwenDir, expiresInSeconds: -60 });
    spawned = await spawnProxy({
      env: {
        PORT: '0',
        QWEN_DIR: qwenDir,
        QWEN_OAUTH_BASE_URL: fake.url,
        LOG_FORMAT: 'json',
        SHUTDOWN_GRACE_MS: '20000',
      },
    });
    let url: string | undefined;
    await waitFor(
      () => {
        for (const line of (spawned as SpawnedProxy).stdout) {
          const match = /listening on (http:\/\/\S+)\/v1/.exec(line);
          if (match?.[1] !== undefined) url = match[1];
        }
        return url !== undefined;
      },
      { message: 'the proxy to listen' },
    );
    const openai = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'x', maxRetries: 0 });
    const stream = await openai.chat.completions.create({
      model: 'coder-model',
      messages: [{ role: 'user', content: 'a long answer please' }],
      stream: true,
    });
    let contentChunks = 0;
    let signalled = false;
    let finishReason: string | null | undefined;
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) contentChunks += 1;
      finishReason = chunk.choices[0]?.finish_reason ?? finishReason;
      if (!signalled) {
        signalled = true;
        spawned.child.kill('SIGTERM');
      }
    }
    expect(finishReason).toBe('stop');
    expect(contentChunks).toBe(25);
    expect(await spawned.exited).toBe(0);
    expect(spawned.stdout.some((line) => line.includes('Shutting down'))).toBe(true);
    expect((await readdir(qwenDir)).filter((name) => name.endsWith('.lock'))).toEqual([]);
  });

  it('ends streams that outlive the grace period with a final error event, answers pending calls 503, and refuses new connections once closing', async () => {
    const environment = await startTestEnvironment({
      fakeOptions: { stream: { chunkCount: 500, chunkDelayInMs: 20 } },
      env: { SHUTDOWN_GRACE_MS: '300' },
    });
    try {
      const response = await fetch(`${environment.proxy.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'coder-model',
          messages: [{ role: 'user', content: 'a very long answer' }],
          stream: true,
        }),
      });
      expect(response.status).toBe(200);
      const streamText = response.text();
      // a non-streaming call whose upstream never answers
      environment.fake.inject({ endpoint: 'chat', stream: false, action: { type: 'hang' } });
      const pending = environment.openai.chat.completions
        .create({ model: 'coder-model', messages: [{ role: 'user', content: 'hi' }] })
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      await waitFor(() => environment.fake.counters.currentConcurrentRequests === 2, {
        message: 'both requests upstream',
      });

      const closed = environment.proxy.close();
      await expect(fetch(`${environment.proxy.url}/health`)).rejects.toThrow();
      await closed;

      const events = (await streamText).split('\n\n').filter((event) => event !== '');
      expect(events.length).toBeGreaterThan(1);
      expect(events).not.toContain('data: [DONE]');
      expect(JSON.parse(events.at(-1)?.replace(/^data: /, '') ?? '')).toEqual({
        error: {
          message: expect.stringContaining('qwen-relay is shutting down'),
          type: 'server_error',
          param: null,
          code: 'shutting_down',
        },
      });
      expect(await pending).toMatchObject({ status: 503, code: 'shutting_down' });
      await waitFor(() => environment.fake.counters.streamsAbortedByClient === 1, {
        message: 'upstream stream cancelled',
      });
      await waitFor(() => environment.fake.counters.requestsAbortedByClient === 2, {
        message: 'both upstream requests cancelled',
      });
      expect(
        environment
          .logEntries()
          .some(
            (entry) =>
              entry.msg?.toString().startsWith('Stream ended early') &&
              entry.endState === 'truncated',
          ),
      ).toBe(true);
    } finally {
      await environment.close();
    }
  });
});
