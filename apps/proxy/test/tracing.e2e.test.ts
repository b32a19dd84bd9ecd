import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import { faults } from '@qwen-relay/fake-qwen';
import { afterEach, describe, expect, it } from 'vitest';
import {
  startTestEnvironment,
  type TestEnvironment,
  waitFor,
} from './support/start-test-environment';

const PROMPT_MARKER = 'prompt-marker-7f3a-never-in-a-span';
const COMPLETION_TEXT = 'Hello from the fake Qwen upstream';
const PROXY_KEY = 'tracing-test-proxy-key-29be';

function describeSpans(spans: readonly ReadableSpan[]): string {
  return JSON.stringify(
    spans.map((span) => ({
      name: span.name,
      attributes: span.attributes,
      events: span.events,
      status: span.status,
      resource: span.resource.attributes,
    })),
  );
}

function findSpan(spans: readonly ReadableSpan[], name: string): ReadableSpan {
  const span = spans.find((candidate) => candidate.name === name);
  if (span === undefined) {
    throw new Error(`no span "${name}" in: ${spans.map((candidate) => candidate.name).join(', ')}`);
  }
  return span;
}

describe('OpenTelemetry traces (built proxy)', () => {
  let environment: TestEnvironment | undefined;
  let collector: Server | undefined;

  afterEach(async () => {
    await environment?.close();
    environment = undefined;
    await new Promise<void>((resolve) =>
      collector ? collector.close(() => resolve()) : resolve(),
    );
    collector = undefined;
  });

  it('records a server span and a GenAI span per chat request, without content or secrets', async () => {
    const exporter = new InMemorySpanExporter();
    environment = await startTestEnvironment({
      env: { PROXY_API_KEYS: PROXY_KEY },
      traceSpanProcessor: new SimpleSpanProcessor(exporter),
    });
    const { openai, fake } = environment;
    const completion = await openai.chat.completions.create({
      model: 'coder-model',
      max_tokens: 64,
      temperature: 0.2,
      messages: [{ role: 'user', content: PROMPT_MARKER }],
    });
    expect(completion.choices[0]?.message.content).toContain(COMPLETION_TEXT);
    const stream = await openai.chat.completions.create({
      model: 'coder-model',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: PROMPT_MARKER }],
    });
    for await (const _chunk of stream) {
      // drain
    }
    // probes and the status page are not traced
    await fetch(`${environment.proxy.url}/readyz`);
    await fetch(`${environment.proxy.url}/status.json`, { headers: { 'x-api-key': PROXY_KEY } });
    // a server span ends when its response has closed; shutdown would clear the in-memory exporter
    await waitFor(
      () =>
        exporter.getFinishedSpans().filter((span) => span.name === 'POST /v1/chat/completions')
          .length === 2,
      { message: 'both server spans' },
    );

    const spans = exporter.getFinishedSpans();
    const servers = spans.filter((span) => span.name === 'POST /v1/chat/completions');
    expect(servers).toHaveLength(2);
    const chats = spans.filter((span) => span.name === 'chat coder-model');
    expect(chats).toHaveLength(2);
    for (const [index, chat] of chats.entries()) {
      const server = servers[index];
      expect(chat.parentSpanContext?.spanId).toBe(server?.spanContext().spanId);
      expect(chat.spanContext().traceId).toBe(server?.spanContext().traceId);
      expect(chat.attributes).toMatchObject({
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'qwen',
        'gen_ai.system': 'qwen',
        'gen_ai.request.model': 'coder-model',
        // the fake answers as the portal does: the alias is served by this model
        'gen_ai.response.model': 'qwen3.6-plus',
        'gen_ai.response.finish_reasons': ['stop'],
        'server.address': '127.0.0.1',
        'server.port': fake.port,
        'qwen_relay.account.id': 'default',
        'qwen_relay.upstream.attempts': 1,
      });
      expect(chat.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
      expect(chat.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
      expect(server?.attributes).toMatchObject({
        'http.request.method': 'POST',
        'http.route': '/v1/chat/completions',
        'http.response.status_code': 200,
      });
    }
    expect(chats[0]?.attributes).toMatchObject({
      'gen_ai.request.max_tokens': 64,
      'gen_ai.request.temperature': 0.2,
      'gen_ai.request.stream': false,
    });
    expect(chats[1]?.attributes['gen_ai.request.stream']).toBe(true);
    expect(spans.some((span) => span.name.includes('readyz') || span.name.includes('status'))).toBe(
      false,
    );

    const text = describeSpans(spans);
    expect(text).not.toContain(PROMPT_MARKER);
    expect(text).not.toContain(COMPLETION_TEXT);
    expect(text).not.toContain(PROXY_KEY);
  });

  it('nests upstream attempts (with the retry reason), the token refresh and the lock under the call', async () => {
    const exporter = new InMemorySpanExporter();
    environment = await startTestEnvironment({
      credentials: 'expired',
      traceSpanProcessor: new SimpleSpanProcessor(exporter),
    });
    environment.fake.inject(faults.serverError(503, { times: 1 }));
    await environment.openai.chat.completions.create({
      model: 'coder-model',
      messages: [{ role: 'user', content: PROMPT_MARKER }],
    });
    await waitFor(
      () => exporter.getFinishedSpans().some((span) => span.name === 'POST /v1/chat/completions'),
      { message: 'the server span' },
    );
    const spans = exporter.getFinishedSpans();
    const chat = findSpan(spans, 'chat coder-model');
    const attempts = spans
      .filter((span) => span.name === 'POST /chat/completions')
      .sort(
        (left, right) =>
          Number(left.attributes['qwen_relay.attempt']) -
          Number(right.attributes['qwen_relay.attempt']),
      );
    expect(attempts).toHaveLength(2);
    for (const attempt of attempts) {
      expect(attempt.parentSpanContext?.spanId).toBe(chat.spanContext().spanId);
      expect(attempt.attributes['server.address']).toBe('127.0.0.1');
    }
    expect(attempts[0]?.attributes).toMatchObject({
      'qwen_relay.attempt': 1,
      'http.response.status_code': 503,
      'qwen_relay.attempt.outcome': 'server-error',
      'qwen_relay.retry.reason': 'server-error',
    });
    expect(attempts[1]?.attributes).toMatchObject({
      'qwen_relay.attempt': 2,
      'http.response.status_code': 200,
      'qwen_relay.attempt.outcome': 'success',
    });
    expect(chat.attributes['qwen_relay.upstream.attempts']).toBe(2);

    // the expired token was refreshed by the first attempt, under the credentials lock
    const refresh = findSpan(spans, 'token refresh');
    expect(refresh.parentSpanContext?.spanId).toBe(attempts[0]?.spanContext().spanId);
    expect(refresh.attributes).toMatchObject({
      'qwen_relay.account.id': 'default',
      'qwen_relay.refresh.reason': 'expired',
      'qwen_relay.refresh.outcome': 'ok',
    });
    const lock = findSpan(spans, 'credentials lock');
    expect(lock.parentSpanContext?.spanId).toBe(refresh.spanContext().spanId);

    const text = describeSpans(spans);
    const credentials = JSON.parse(await readFile(environment.credentialsPath, 'utf8')) as {
      access_token: string;
      refresh_token: string;
    };
    for (const secret of [credentials.access_token, credentials.refresh_token, PROMPT_MARKER]) {
      expect(text).not.toContain(secret);
    }
  });

  it('traces /v1/messages like chat: a GenAI span under the server span, JSON and stream', async () => {
    const exporter = new InMemorySpanExporter();
    environment = await startTestEnvironment({
      env: { PROXY_API_KEYS: PROXY_KEY },
      traceSpanProcessor: new SimpleSpanProcessor(exporter),
    });
    const anthropic = new Anthropic({
      baseURL: environment.proxy.url,
      apiKey: PROXY_KEY,
      maxRetries: 0,
    });
    const request = {
      model: 'coder-model',
      max_tokens: 64,
      messages: [{ role: 'user' as const, content: PROMPT_MARKER }],
    };
    await anthropic.messages.create(request);
    await anthropic.messages.stream(request).finalMessage();
    await waitFor(
      () =>
        exporter.getFinishedSpans().filter((span) => span.name === 'POST /v1/messages').length ===
        2,
      { message: 'both server spans' },
    );
    const spans = exporter.getFinishedSpans();
    const servers = spans.filter((span) => span.name === 'POST /v1/messages');
    const calls = spans.filter((span) => span.name === 'chat coder-model');
    expect(calls).toHaveLength(2);
    for (const [index, call] of calls.entries()) {
      expect(call.parentSpanContext?.spanId).toBe(servers[index]?.spanContext().spanId);
      expect(call.attributes).toMatchObject({
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'coder-model',
        'gen_ai.request.max_tokens': 64,
        'qwen_relay.account.id': 'default',
      });
      expect(call.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
    }
    expect(calls[1]?.attributes['gen_ai.request.stream']).toBe(true);
    const text = describeSpans(spans);
    expect(text).not.toContain(PROMPT_MARKER);
    expect(text).not.toContain(PROXY_KEY);
  });

  it('marks a failed call with the error code only', async () => {
    const exporter = new InMemorySpanExporter();
    environment = await startTestEnvironment({
      credentials: 'none',
      traceSpanProcessor: new SimpleSpanProcessor(exporter),
    });
    await expect(
      environment.openai.chat.completions.create({
        model: 'coder-model',
        messages: [{ role: 'user', content: PROMPT_MARKER }],
      }),
    ).rejects.toMatchObject({ status: 401 });
    await waitFor(
      () => exporter.getFinishedSpans().some((span) => span.name === 'POST /v1/chat/completions'),
      { message: 'the server span' },
    );

    const spans = exporter.getFinishedSpans();
    const chat = findSpan(spans, 'chat coder-model');
    expect(chat.attributes['error.type']).toBe('QWEN_RELAY_NO_CREDENTIALS');
    expect(chat.status.code).toBe(2);
    expect(chat.status.message).toBeUndefined();
    expect(
      findSpan(spans, 'POST /v1/chat/completions').attributes['http.response.status_code'],
    ).toBe(401);
    expect(describeSpans(spans)).not.toContain(PROMPT_MARKER);
  });

  it('exports over OTLP/HTTP to the collector named by OTEL_EXPORTER_OTLP_ENDPOINT', async () => {
    const received: Array<{ path: string; contentType: string; body: string }> = [];
    collector = createServer((request: IncomingMessage, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({
          path: request.url ?? '',
          contentType: request.headers['content-type'] ?? '',
          body: Buffer.concat(chunks).toString('utf8'),
        });
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{}');
      });
    });
    await new Promise<void>((resolve) => collector?.listen(0, '127.0.0.1', resolve));
    const { port } = collector.address() as AddressInfo;

    environment = await startTestEnvironment({
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
        OTEL_SERVICE_NAME: 'relay-under-test',
      },
    });
    const credentials = JSON.parse(await readFile(environment.credentialsPath, 'utf8')) as {
      access_token: string;
    };
    await environment.openai.chat.completions.create({
      model: 'coder-model',
      messages: [{ role: 'user', content: PROMPT_MARKER }],
    });
    // close flushes the batch
    await environment.close();
    environment = undefined;

    expect(received.length).toBeGreaterThan(0);
    expect(received.every((post) => post.path === '/v1/traces')).toBe(true);
    expect(received[0]?.contentType).toMatch(/^application\/json/);
    const body = received.map((post) => post.body).join('\n');
    const names = received.flatMap((post) =>
      (
        JSON.parse(post.body) as {
          resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ name: string }> }> }>;
        }
      ).resourceSpans.flatMap((resource) =>
        resource.scopeSpans.flatMap((scope) => scope.spans.map((span) => span.name)),
      ),
    );
    expect(names).toContain('chat coder-model');
    expect(names).toContain('POST /v1/chat/completions');
    expect(body).toContain('relay-under-test');
    expect(body).not.toContain(PROMPT_MARKER);
    expect(body).not.toContain(credentials.access_token);
  });
});
