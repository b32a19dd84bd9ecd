import { readFile } from 'node:fs/promises';
import { faults } from '@qwen-relay/fake-qwen';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestEnvironment, type TestEnvironment } from './support/start-test-environment';

const MESSAGES = [{ role: 'user', content: 'tell me something' }];

interface HeldTokens {
  accessToken: string;
  refreshToken: string;
}

async function readHeldTokens(environment: TestEnvironment): Promise<HeldTokens> {
  const credentials = JSON.parse(await readFile(environment.credentialsPath, 'utf8')) as {
    access_token: string;
    refresh_token: string;
  };
  return { accessToken: credentials.access_token, refreshToken: credentials.refresh_token };
}

async function postChat(
  environment: TestEnvironment,
  { stream }: { stream: boolean },
): Promise<{ status: number; text: string }> {
  const response = await fetch(`${environment.proxy.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'coder-model', messages: MESSAGES, stream }),
  });
  return { status: response.status, text: await response.text() };
}

// every place a secret could surface: the client's answer and every log line, at every level
function expectNoSecret({
  environment,
  answer,
  tokens,
}: {
  environment: TestEnvironment;
  answer: string;
  tokens: HeldTokens;
}): void {
  for (const secret of [tokens.accessToken, tokens.refreshToken]) {
    expect(answer).not.toContain(secret);
    for (const line of environment.logLines) expect(line).not.toContain(secret);
  }
}

describe.each([
  ['inline', '0'],
  ['in workers', '1'],
])('an upstream echoing the bare access token (SSE transform %s)', (_mode, sseWorkers) => {
  let environment: TestEnvironment | undefined;
  afterEach(async () => {
    await environment?.close();
    environment = undefined;
  });

  async function start(): Promise<{ environment: TestEnvironment; tokens: HeldTokens }> {
    // tokens of no recognisable shape: no pattern can catch them, only their value
    environment = await startTestEnvironment({
      fakeOptions: { opaqueTokens: true },
      env: { SSE_WORKERS: sseWorkers, MAX_RETRIES: '1' },
    });
    const tokens = await readHeldTokens(environment);
    expect(tokens.accessToken).toMatch(/^[0-9a-f]{24}$/);
    return { environment, tokens };
  }

  it('keeps it out of a 4xx error envelope and the logs', async () => {
    const { environment, tokens } = await start();
    environment.fake.inject(
      faults.badRequest(`The access token ${tokens.accessToken} is not allowed to use this model`, {
        times: 2,
      }),
    );
    for (const stream of [false, true]) {
      const answer = await postChat(environment, { stream });
      expect(answer.status).toBe(400);
      expect(answer.text).toContain('is not allowed to use this model');
      expect(answer.text).toContain('[redacted]');
      expectNoSecret({ environment, answer: answer.text, tokens });
    }
  });

  it('keeps it out of the answer to a 503 HTML page and the logs', async () => {
    const { environment, tokens } = await start();
    environment.fake.inject({
      endpoint: 'chat',
      times: Number.POSITIVE_INFINITY,
      action: {
        type: 'status',
        status: 503,
        contentType: 'text/html',
        body: `<html><body><h1>503 Service Temporarily Unavailable</h1><p>request id 7, token ${tokens.accessToken}, refresh ${tokens.refreshToken}</p></body></html>`,
      },
    });
    const answer = await postChat(environment, { stream: false });
    expect(answer.status).toBe(502);
    expect(environment.fake.counters.chatCalls).toBeGreaterThan(0);
    expectNoSecret({ environment, answer: answer.text, tokens });
  });

  it('keeps it out of a mid-stream SSE error event and the logs', async () => {
    const { environment, tokens } = await start();
    environment.fake.inject(
      faults.midStreamError(1, {
        error: {
          code: 'invalid_parameter_error',
          message: `token ${tokens.accessToken} was revoked mid-stream`,
          type: 'invalid_request_error',
        },
      }),
    );
    const answer = await postChat(environment, { stream: true });
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('was revoked mid-stream');
    expect(answer.text).toContain('[redacted]');
    expectNoSecret({ environment, answer: answer.text, tokens });
  });
});
