import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { faults } from '../src/faults/faults';
import { startFakeQwen } from '../src/server/start-fake-qwen';
import { waitFor } from '../src/testing';
import type { FakeQwen } from '../src/types';
import { chatBody, parseChunks, parseSseText, postChat, refreshToken } from './helpers';

let fake: FakeQwen;
let token: string;
beforeAll(async () => {
  fake = await startFakeQwen();
  token = fake.issueCredentials().access_token;
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.clearFaults();
  fake.reset();
});

const streamBody = chatBody({ stream: true });

describe('status faults', () => {
  it.each([
    [
      'unauthorized',
      faults.unauthorized(),
      401,
      { code: 'invalid_api_key', message: 'invalid access token or token expired' },
    ],
    ['forbidden', faults.forbidden(), 403, { code: 'access_denied' }],
    [
      'insufficientQuota',
      faults.insufficientQuota(),
      429,
      {
        code: 'insufficient_quota',
        type: 'insufficient_quota',
        message: expect.stringMatching(/^You exceeded your current quota/),
      },
    ],
    [
      'freeQuotaExceeded',
      faults.freeQuotaExceeded(),
      429,
      { code: 'insufficient_quota', message: 'Free allocated quota exceeded.' },
    ],
    ['serverError', faults.serverError(), 500, { code: 'internal_error' }],
    ['serverError(503)', faults.serverError(503), 503, { code: 'internal_error' }],
    [
      'badRequest',
      faults.badRequest('bad tool schema'),
      400,
      { code: 'invalid_parameter_error', message: 'bad tool schema' },
    ],
    [
      'contentModeration',
      faults.contentModeration(),
      400,
      { code: 'data_inspection_failed', message: 'Input data may contain inappropriate content.' },
    ],
  ])(
    '%s answers its status and DashScope envelope once, then normal service resumes',
    async (_name, rule, status, error) => {
      fake.inject(rule);
      const faulted = await postChat(fake, { token, body: chatBody() });
      expect(faulted.status).toBe(status);
      expect(faulted.headers.get('content-type')).toBe('application/json');
      const body = (await faulted.json()) as { error: Record<string, unknown>; request_id: string };
      expect(body.error).toMatchObject({ param: null, ...error });
      expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'param', 'type']);
      expect((await postChat(fake, { token, body: chatBody() })).status).toBe(200);
    },
  );

  it('429 rate limit with and without Retry-After, and with an empty body', async () => {
    fake.inject(faults.rateLimited({ retryAfterInSeconds: 7 }));
    const withHeader = await postChat(fake, { token, body: chatBody() });
    expect(withHeader.status).toBe(429);
    expect(withHeader.headers.get('retry-after')).toBe('7');
    expect(await withHeader.json()).toMatchObject({ error: { code: 'limit_requests' } });

    fake.inject(faults.rateLimited());
    const without = await postChat(fake, { token, body: chatBody() });
    expect(without.status).toBe(429);
    expect(without.headers.get('retry-after')).toBeNull();
    await without.arrayBuffer();

    fake.inject(faults.rateLimited({ retryAfterMs: 1500, emptyBody: true }));
    const empty = await postChat(fake, { token, body: chatBody() });
    expect(empty.headers.get('retry-after-ms')).toBe('1500');
    expect(await empty.text()).toBe('');
  });

  it('504 text/plain "stream timeout"', async () => {
    fake.inject(faults.streamTimeout504({ stream: true }));
    // a non-streaming request does not match a stream-only rule
    expect((await postChat(fake, { token, body: chatBody() })).status).toBe(200);
    const response = await postChat(fake, { token, body: streamBody });
    expect(response.status).toBe(504);
    expect(response.headers.get('content-type')).toBe('text/plain');
    expect(await response.text()).toBe('stream timeout');
  });

  it('fires `times` times in queue order and can be cleared', async () => {
    fake.inject(faults.serverError(500, { times: 2 }));
    fake.inject(faults.unauthorized());
    const statuses: number[] = [];
    for (let index = 0; index < 4; index += 1)
      statuses.push((await postChat(fake, { token, body: chatBody() })).status);
    expect(statuses).toEqual([500, 500, 401, 200]);
    fake.inject(faults.serverError(500, { times: Number.POSITIVE_INFINITY }));
    expect((await postChat(fake, { token, body: chatBody() })).status).toBe(500);
    expect((await postChat(fake, { token, body: chatBody() })).status).toBe(500);
    fake.clearFaults();
    expect((await postChat(fake, { token, body: chatBody() })).status).toBe(200);
  });

  it('targets the token endpoint and a grant type; counts injected 401s on chat', async () => {
    const { refresh_token } = fake.issueCredentials();
    fake.inject(
      faults.serverError(500, {
        endpoint: 'token',
        grantType: 'urn:ietf:params:oauth:grant-type:device_code',
      }),
    );
    fake.inject(faults.serverError(502, { endpoint: 'token', grantType: 'refresh_token' }));
    expect((await refreshToken(fake, refresh_token)).status).toBe(502);
    expect(fake.isRefreshTokenValid(refresh_token)).toBe(true);
    expect((await refreshToken(fake, refresh_token)).status).toBe(200);
    fake.inject(faults.unauthorized());
    await postChat(fake, { token, body: chatBody() });
    expect(fake.counters.unauthorizedSent).toBe(1);
  });

  it('a custom status action with a string body and content type', async () => {
    fake.inject({
      endpoint: 'chat',
      action: {
        type: 'status',
        status: 502,
        body: '<html>bad gateway</html>',
        contentType: 'text/html',
      },
    });
    const response = await postChat(fake, { token, body: chatBody() });
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toBe('text/html');
    expect(await response.text()).toBe('<html>bad gateway</html>');
  });
});

describe('timing and stream faults', () => {
  it('delay-headers delays the answer, then answers normally or with `andThen`', async () => {
    fake.inject(faults.delayHeaders(150));
    const startedAt = performance.now();
    const response = await postChat(fake, { token, body: chatBody() });
    // lower bound only: timers never fire early
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(140);
    expect(response.status).toBe(200);
    fake.inject({
      endpoint: 'chat',
      action: { type: 'delay-headers', delayInMs: 10, andThen: { type: 'status', status: 500 } },
    });
    expect((await postChat(fake, { token, body: chatBody() })).status).toBe(500);
  });

  it('mid-stream-error sends the output moderation error after N chunks and no [DONE]', async () => {
    fake.inject(faults.midStreamError(3));
    const response = await postChat(fake, { token, body: streamBody });
    expect(response.status).toBe(200);
    const payloads = parseSseText(await response.text());
    expect(payloads).toHaveLength(4);
    expect(JSON.parse(payloads[3]!)).toEqual({
      error: {
        message: 'Output data may contain inappropriate content.',
        type: 'data_inspection_failed',
        param: null,
        code: 'data_inspection_failed',
      },
    });
    expect(payloads).not.toContain('[DONE]');
  });

  it('error-finish sends an in-band error_finish chunk after N chunks, then [DONE]', async () => {
    fake.inject(faults.errorFinish(2, { message: 'Throttling: TPM limit' }));
    const chunks = parseChunks(await (await postChat(fake, { token, body: streamBody })).text());
    expect(chunks).toHaveLength(3);
    expect(chunks[2]!.id).toBe(chunks[0]!.id);
    expect(chunks[2]!.choices).toEqual([
      {
        finish_reason: 'error_finish',
        delta: { content: 'Throttling: TPM limit' },
        index: 0,
        logprobs: null,
      },
    ]);
  });

  it('mid-stream faults do not fire on (nor get used up by) non-streaming requests', async () => {
    fake.inject(faults.midStreamError(0, { error: { code: 'x', message: 'y' } }));
    expect((await postChat(fake, { token, body: chatBody() })).status).toBe(200);
    const payloads = parseSseText(await (await postChat(fake, { token, body: streamBody })).text());
    expect(payloads.map((payload) => JSON.parse(payload))).toEqual([
      { error: { code: 'x', message: 'y' } },
    ]);
  });

  it('mid-stream-drop cuts the connection after N chunks, delivered intact, not counted as a client abort', async () => {
    fake.inject(faults.midStreamDrop(2));
    const response = await postChat(fake, { token, body: streamBody });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    let received = '';
    const decoder = new TextDecoder();
    await expect(
      (async () => {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          received += decoder.decode(value, { stream: true });
        }
      })(),
    ).rejects.toThrow();
    expect(parseSseText(received)).toHaveLength(2);
    await waitFor(() => fake.counters.currentConcurrentRequests === 0);
    expect(fake.counters.requestsAbortedByClient).toBe(0);
    expect(fake.counters.streamsAbortedByClient).toBe(0);
  });

  it('stall pauses mid-stream, then completes', async () => {
    fake.inject(faults.stall(2, 150));
    const startedAt = performance.now();
    const chunks = parseChunks(await (await postChat(fake, { token, body: streamBody })).text());
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(140);
    expect(chunks).toHaveLength(10);
  });

  it('hang never answers; the client gives up and the abort is counted', async () => {
    fake.inject(faults.hang());
    const controller = new AbortController();
    const pending = postChat(fake, { token, body: chatBody(), signal: controller.signal });
    await waitFor(() => fake.counters.chatCalls === 1);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await waitFor(() => fake.counters.requestsAbortedByClient === 1);
    expect(fake.counters.streamsAbortedByClient).toBe(0);
  });

  it('waf answers 200 text/html on the token endpoint', async () => {
    fake.inject(faults.waf());
    const result = await refreshToken(fake, 'qrt_whatever');
    expect(result.status).toBe(200);
    expect(result.contentType).toMatch(/^text\/html/);
    expect(result.text).toMatch(/^<!DOCTYPE html>/);
  });
});
