import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runInProcess } from './helpers/create-test-io';
import { type RunningBinary, startBinary } from './helpers/start-binary';
import { useFakeQwenEnvironment } from './helpers/use-fake-qwen-environment';

describe('serve (binary, proxy bundled into the CLI)', () => {
  const setup = useFakeQwenEnvironment();
  let serve: RunningBinary | undefined;

  afterEach(async () => {
    if (serve !== undefined && serve.child.exitCode === null) serve.child.kill('SIGKILL');
    await serve?.exited;
    serve = undefined;
  });

  it('serves streaming chat through piscina workers and stops cleanly on SIGTERM', async () => {
    await setup.fake.writeCredentialsFile({ dir: setup.dir });
    serve = startBinary({
      // --qwen-dir is the CLI's global flag, handed on to the proxy; the rest are the proxy's
      args: ['serve', '--port', '0', '--sse-workers', '1', '--qwen-dir', setup.dir],
      env: { QWEN_OAUTH_BASE_URL: setup.fake.url, LOG_FORMAT: 'pretty' },
      home: setup.dir,
    });
    const [, baseUrl] = await serve.waitForOutput(/listening on (http:\/\/127\.0\.0\.1:\d+\/v1)/);
    const origin = new URL(baseUrl ?? '').origin;

    // the status page is part of the bundle: nothing to copy next to the CLI
    const page = await fetch(`${origin}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    await expect(page.text()).resolves.toContain("fetch('status.json'");
    expect((await fetch(`${origin}/readyz`)).status).toBe(200);

    const response = await fetch(`${baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'coder-model',
        stream: true,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    });
    expect(response.status).toBe(200);
    const body = await response.text();
    const events = body.split('\n\n').filter(Boolean);
    expect(events.at(-1)).toBe('data: [DONE]');
    const text = events
      .slice(0, -1)
      .map((event) => JSON.parse(event.slice('data: '.length)).choices[0]?.delta?.content ?? '')
      .join('');
    expect(text).toMatch(/^Hello from the fake Qwen upstream/);
    // the transform ran in a piscina worker, whose task module was resolved from the CLI bundle
    expect(serve.stdout()).toContain('sseWorkers=1');
    expect(setup.fake.counters.chatCalls).toBe(1);

    serve.child.kill('SIGTERM');
    const { code } = await serve.exited;
    expect(code).toBe(0);
    expect(serve.stdout()).toContain('Proxy stopped');
  });

  it('serve --help lists the proxy settings; a bad flag is one clear error', async () => {
    const help = await runInProcess({ args: ['serve', '--help'], env: {} });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: qwen-relay serve \[flags\]/);
    expect(help.stdout).toContain('--proxy-api-keys');
    expect(help.stdout).toContain('PROXY_API_KEYS');

    const bad = await runInProcess({
      args: ['serve', '--port', 'eighty'],
      env: { QWEN_DIR: setup.dir, STATE_DIR: join(setup.dir, 'state') },
    });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^Error: Invalid PORT \(--port="eighty"\)/);
    expect(bad.stderr).not.toMatch(/\bat .*:\d+:\d+/);
  });
});
