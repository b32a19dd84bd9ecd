import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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
  nodeArguments = [],
  dotEnv,
  relayEnv,
}: {
  env: Record<string, string>;
  argv?: string[];
  /** node's own flags, before the script */
  nodeArguments?: string[];
  /** content of a .env file in the working directory */
  dotEnv?: string;
  /** content of ~/.qwen-relay/.env, the relay's own env file */
  relayEnv?: string;
}): Promise<SpawnedProxy> {
  // a fresh working directory: no stray .env, and HOME inside it so ~/.qwen is never the real one
  const cwd = await mkdtemp(join(tmpdir(), 'qwen-relay-cwd-'));
  if (dotEnv !== undefined) await writeFile(join(cwd, '.env'), dotEnv);
  if (relayEnv !== undefined) {
    await mkdir(join(cwd, '.qwen-relay'));
    await writeFile(join(cwd, '.qwen-relay', '.env'), relayEnv);
  }
  const child = spawn(process.execPath, [...nodeArguments, BUILT_PROXY_MAIN, ...argv], {
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

/** Waits for the proxy's "listening on" line: its base URL and where it is in stdout. */
async function waitForListening(
  spawned: SpawnedProxy,
): Promise<{ url: string; lineIndex: number }> {
  let found: { url: string; lineIndex: number } | undefined;
  await waitFor(
    () => {
      spawned.stdout.forEach((line, lineIndex) => {
        const match = /listening on (http:\/\/\S+)\/v1/.exec(line);
        if (match?.[1] !== undefined) found = { url: match[1], lineIndex };
      });
      return found !== undefined;
    },
    { message: 'the proxy to listen' },
  );
  return found as { url: string; lineIndex: number };
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

  it('reads ~/.qwen-relay/.env and --env-file, with the real environment winning', async () => {
    spawned = await spawnProxy({ env: {}, relayEnv: 'LOG_FORMAT=xml\n' });
    expect(await spawned.exited).toBe(1);
    expect(spawned.stderr.join('')).toMatch(/LOG_FORMAT in \S+\.qwen-relay\/\.env/);

    spawned = await spawnProxy({
      env: { LOG_FORMAT: 'json', PORT: 'x' },
      relayEnv: 'LOG_FORMAT=xml\n',
    });
    expect(await spawned.exited).toBe(1);
    expect(spawned.stderr.join('')).not.toContain('LOG_FORMAT');
    expect(spawned.stderr.join('')).toContain('PORT');

    // a named file is read even when it is the working directory's
    spawned = await spawnProxy({ env: {}, argv: ['--env-file', '.env'], dotEnv: 'PORT=x\n' });
    expect(await spawned.exited).toBe(1);
    expect(spawned.stderr.join('')).toContain('PORT in ');
  });

  it("sends no token to a server named by the working directory's .env", async () => {
    fake = await startFakeQwen();
    qwenDir = await mkdtemp(join(tmpdir(), 'qwen-relay-dotenv-'));
    // expired: the first request refreshes, so the refresh token travels too
    await fake.writeCredentialsFile({ dir: qwenDir, expiresInSeconds: -60 });
    const received: string[] = [];
    const attacker = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      request.on('end', () => {
        received.push(
          `${request.method} ${request.url} ${request.headers.authorization ?? ''} ${body}`,
        );
        response.writeHead(500).end();
      });
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    const attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
    try {
      spawned = await spawnProxy({
        env: { PORT: '0', QWEN_DIR: qwenDir, LOG_FORMAT: 'json', MAX_RETRIES: '0' },
        relayEnv: `QWEN_OAUTH_BASE_URL=${fake.url}\n`,
        dotEnv: `QWEN_OAUTH_BASE_URL=${attackerUrl}\nQWEN_API_BASE_URL=${attackerUrl}/v1\n`,
      });
      let url: string | undefined;
      await waitFor(
        () => {
          for (const line of (spawned as SpawnedProxy).stdout) {
            const match = /listening on (http:\/\/\S+)\/v1/.exec(line);
            if (match?.[1] !== undefined) url = match[1];
          }
          return url !== undefined || (spawned as SpawnedProxy).child.exitCode !== null;
        },
        { message: 'the proxy to listen' },
      );
      const openai = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'x', maxRetries: 0 });
      const completion = await openai.chat.completions.create({
        model: 'coder-model',
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(completion.choices).toHaveLength(1);
      expect(received).toEqual([]);
      expect(fake.counters.refreshCalls).toBe(1);
      const log = spawned.stdout.map((line) => JSON.parse(line) as Record<string, unknown>);
      const settings = log.find((entry) => String(entry.msg).startsWith('Settings:'));
      expect(settings?.msg).toMatch(/QWEN_OAUTH_BASE_URL from \S+\/\.qwen-relay\/\.env/);
      expect(settings?.msg).toMatch(/LOG_FORMAT, MAX_RETRIES, PORT, QWEN_DIR from the environment/);
      // names and sources only: no value reaches that line
      expect(JSON.stringify(settings)).not.toContain(fake.url);
      const warning = log.find((entry) => String(entry.msg).startsWith('Not reading'));
      expect(warning).toMatchObject({ level: 'warn' });
      expect(String(warning?.msg)).toContain('--env-file');
    } finally {
      await new Promise((resolve) => attacker.close(resolve));
    }
  });

  it('refuses a non-loopback bind without proxy keys', async () => {
    spawned = await spawnProxy({ env: {}, argv: ['--host', '0.0.0.0'] });
    expect(await spawned.exited).toBe(1);
    expect(spawned.stderr.join('')).toMatch(/HOST.*PROXY_API_KEYS/s);
  });

  it.each([
    { nodeArguments: [], decisionsWhileServing: 'none' },
    { nodeArguments: ['--allocation-site-pretenuring'], decisionsWhileServing: 'some' },
  ])(
    'serves with V8 pretenuring off unless node was started with the flag ($nodeArguments)',
    async ({ nodeArguments, decisionsWhileServing }) => {
      fake = await startFakeQwen();
      qwenDir = await mkdtemp(join(tmpdir(), 'qwen-relay-pretenuring-'));
      await fake.writeCredentialsFile({ dir: qwenDir, expiresInSeconds: 3600 });
      // V8 prints each scavenge's pretenuring decisions on stdout while pretenuring is on
      spawned = await spawnProxy({
        nodeArguments: [...nodeArguments, '--trace-pretenuring', '--trace-pretenuring-statistics'],
        env: {
          PORT: '0',
          QWEN_DIR: qwenDir,
          STATE_DIR: join(qwenDir, 'state'),
          QWEN_OAUTH_BASE_URL: fake.url,
        },
      });
      const listening = await waitForListening(spawned);
      // enough garbage for several scavenges: ~300 requests of a few dozen KB each
      for (let request = 0; request < 300; request++) {
        const response = await fetch(`${listening.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            model: 'coder-model',
            messages: [{ role: 'user', content: `question ${request}` }],
          }),
        });
        expect(response.status).toBe(200);
        await response.text();
      }
      spawned.child.kill('SIGTERM');
      expect(await spawned.exited).toBe(0);
      const decisions = spawned.stdout
        .slice(listening.lineIndex)
        .filter((line) => line.includes('pretenuring:'));
      if (decisionsWhileServing === 'none') expect(decisions).toEqual([]);
      else expect(decisions.length).toBeGreaterThan(0);
    },
  );

  it('lets an in-flight stream finish on SIGTERM, then exits 0 without leaving a lock', async () => {
    fake = await startFakeQwen({ stream: { chunkCount: 25, chunkDelayInMs: 40 } });
    qwenDir = await mkdtemp(join(tmpdir(), 'qwen-relay-shutdown-'));
    await fake.writeCredentialsFile({ dir: qwenDir, expiresInSeconds: -60 });
    spawned = await spawnProxy({
      env: {
        PORT: '0',
        QWEN_DIR: qwenDir,
        STATE_DIR: join(qwenDir, 'state'),
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
