import { startFakeQwen } from '@qwen-relay/fake-qwen';
import {
  convertResponsesRequestToQwen,
  createAnthropicStreamTransform,
  createChatStreamTransform,
  createResponsesStreamTransform,
  type StreamFailure,
  type StreamTransformState,
} from '@qwen-relay/openai-adapter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuiltProxyModule, loadBuiltProxy } from './support/load-built-proxy';
import { parsePrometheusText, sumSamples } from './support/parse-prometheus-text';
import { startTestEnvironment } from './support/start-test-environment';

/** Cuts `bytes` into pieces at pseudo-random offsets (deterministic per seed). */
function splitBytes(bytes: Uint8Array, seed: number): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  let state = seed;
  let offset = 0;
  while (offset < bytes.length) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const size = 1 + (state % 97);
    pieces.push(bytes.slice(offset, offset + size));
    offset += size;
  }
  return pieces;
}

/** A fresh initial state of the chat, Anthropic or Responses transform. */
function createInitialState(kind: 'chat' | 'anthropic' | 'responses'): StreamTransformState {
  if (kind === 'chat') {
    return createChatStreamTransform({ clientModel: 'coder-model', includeUsage: true }).getState();
  }
  if (kind === 'anthropic') {
    return createAnthropicStreamTransform({
      clientModel: 'claude-sonnet-4-5',
      messageId: 'msg_modes',
      estimatedInputTokens: 10,
    }).getState();
  }
  const { context } = convertResponsesRequestToQwen({
    request: { model: 'coder-model', input: 'hello' },
    responseId: 'resp_modes',
    createdAtInSeconds: 1,
  });
  return createResponsesStreamTransform({ context }).getState();
}

async function runThrough({
  runner,
  pieces,
  kind = 'chat',
  failure,
}: {
  runner: ReturnType<BuiltProxyModule['createSseTransformRunner']>;
  pieces: Uint8Array[];
  kind?: 'chat' | 'anthropic' | 'responses';
  failure?: StreamFailure;
}) {
  const stream = runner.createStream({ initialState: createInitialState(kind) });
  const outputs: Uint8Array[] = [];
  for (const piece of pieces) {
    // the inline runner hands back text where the transform built text
    const output = await stream.transform(piece);
    outputs.push(typeof output === 'string' ? Buffer.from(output, 'utf8') : output);
  }
  const { bytes, summary } = await stream.end(failure === undefined ? {} : { failure });
  outputs.push(bytes);
  return { text: Buffer.concat(outputs).toString('utf8'), summary };
}

describe('SSE transform: worker pool and inline give identical bytes', () => {
  let upstreamBodies: Uint8Array[] = [];
  let proxyModule: BuiltProxyModule;

  beforeAll(async () => {
    proxyModule = await loadBuiltProxy();
    // record real upstream SSE bodies from the fake: plain text, thinking and tool calls
    const fake = await startFakeQwen({ stream: { chunkCount: 12 } });
    const credentials = fake.issueCredentials();
    const payloads = [
      { model: 'coder-model', messages: [{ role: 'user', content: 'hello' }] },
      {
        model: 'coder-model',
        messages: [{ role: 'user', content: 'think first' }],
        enable_thinking: true,
      },
      {
        model: 'coder-model',
        messages: [{ role: 'user', content: 'what is the weather in Paris?' }],
        tools: [
          {
            type: 'function',
            function: { name: 'get_weather', parameters: { type: 'object', properties: {} } },
          },
        ],
      },
    ];
    upstreamBodies = [];
    for (const payload of payloads) {
      const response = await fetch(`${fake.url}/v1/chat/completions`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${credentials.access_token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ ...payload, stream: true, stream_options: { include_usage: true } }),
      });
      upstreamBodies.push(new Uint8Array(await response.arrayBuffer()));
    }
    await fake.close();
  });

  afterAll(() => {
    upstreamBodies = [];
  });

  it('produces the same output for every split of every recorded stream', async () => {
    const inline = proxyModule.createSseTransformRunner({ sseWorkers: 0 });
    const workers = proxyModule.createSseTransformRunner({ sseWorkers: 2 });
    try {
      expect(workers.mode).toBe('workers');
      for (const [index, body] of upstreamBodies.entries()) {
        for (const seed of [1, 7, 42]) {
          const pieces = splitBytes(body, seed + index);
          const [fromInline, fromWorkers] = await Promise.all([
            runThrough({ runner: inline, pieces }),
            runThrough({ runner: workers, pieces: pieces.map((piece) => piece.slice()) }),
          ]);
          expect(fromInline.summary.endState).toBe('done');
          expect(fromWorkers.text).toBe(fromInline.text);
          expect(fromWorkers.summary).toEqual(fromInline.summary);
        }
      }
    } finally {
      await inline.close();
      await workers.close();
    }
  });

  it('produces the same Anthropic translation for every split of every recorded stream', async () => {
    const inline = proxyModule.createSseTransformRunner({ sseWorkers: 0 });
    const workers = proxyModule.createSseTransformRunner({ sseWorkers: 2 });
    try {
      for (const [index, body] of upstreamBodies.entries()) {
        for (const seed of [3, 11]) {
          const pieces = splitBytes(body, seed + index);
          const [fromInline, fromWorkers] = await Promise.all([
            runThrough({ runner: inline, pieces, kind: 'anthropic' }),
            runThrough({
              runner: workers,
              pieces: pieces.map((piece) => piece.slice()),
              kind: 'anthropic',
            }),
          ]);
          expect(fromInline.summary.endState).toBe('done');
          expect(fromInline.text).toContain('event: message_stop');
          expect(fromWorkers.text).toBe(fromInline.text);
          expect(fromWorkers.summary).toEqual(fromInline.summary);
        }
      }
    } finally {
      await inline.close();
      await workers.close();
    }
  });
});

describe('Responses transform: worker pool and inline give identical bytes', () => {
  it('for every split of recorded streams, whole and cut off midway', async () => {
    const fake = await startFakeQwen({ stream: { chunkCount: 12 } });
    const credentials = fake.issueCredentials();
    const bodies: Uint8Array[] = [];
    for (const payload of [
      { messages: [{ role: 'user', content: 'think first' }], enable_thinking: true },
      {
        messages: [{ role: 'user', content: 'what is the weather in Paris?' }],
        tools: [
          { type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } },
        ],
      },
    ]) {
      const response = await fetch(`${fake.url}/v1/chat/completions`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${credentials.access_token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          model: 'coder-model',
          ...payload,
          stream: true,
          stream_options: { include_usage: true },
        }),
      });
      bodies.push(new Uint8Array(await response.arrayBuffer()));
    }
    await fake.close();
    const inline = proxyModuleForResponses.createSseTransformRunner({ sseWorkers: 0 });
    const workers = proxyModuleForResponses.createSseTransformRunner({ sseWorkers: 2 });
    const failure: StreamFailure = {
      message: 'cut',
      type: 'upstream_error',
      code: 'stream_truncated',
    };
    try {
      for (const [index, whole] of bodies.entries()) {
        for (const body of [whole, whole.slice(0, Math.floor(whole.length / 2))]) {
          const pieces = splitBytes(body, 3 + index);
          const [fromInline, fromWorkers] = await Promise.all([
            runThrough({ runner: inline, pieces, kind: 'responses', failure }),
            runThrough({
              runner: workers,
              pieces: pieces.map((piece) => piece.slice()),
              kind: 'responses',
              failure,
            }),
          ]);
          expect(fromInline.text).toContain('event: response.created');
          expect(fromWorkers.text).toBe(fromInline.text);
          expect(fromWorkers.summary).toEqual(fromInline.summary);
        }
      }
    } finally {
      await inline.close();
      await workers.close();
    }
  });
});

describe('SSE_WORKERS=auto and reads split between the main thread and workers', () => {
  it('is inline below four cores and a pool above', async () => {
    const proxyModule = await loadBuiltProxy();
    const small = proxyModule.createSseTransformRunner({ sseWorkers: 'auto', cores: 2 });
    const large = proxyModule.createSseTransformRunner({ sseWorkers: 'auto', cores: 16 });
    try {
      expect(small.mode).toBe('inline');
      expect(large.mode).toBe('workers');
      expect(large.threads).toBe(proxyModule.resolveAutoSseWorkers({ cores: 16 }).threads);
    } finally {
      await small.close();
      await large.close();
    }
  });

  it('gives the same bytes when small reads stay inline and large ones go to a worker', async () => {
    const proxyModule = await loadBuiltProxy();
    const fake = await startFakeQwen({ stream: { chunkCount: 24 } });
    const credentials = fake.issueCredentials();
    const response = await fetch(`${fake.url}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${credentials.access_token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        model: 'coder-model',
        messages: [{ role: 'user', content: 'think first' }],
        enable_thinking: true,
        stream: true,
        stream_options: { include_usage: true },
      }),
    });
    const body = new Uint8Array(await response.arrayBuffer());
    await fake.close();
    const inline = proxyModule.createSseTransformRunner({ sseWorkers: 0 });
    // pieces are 1–97 bytes: about half stay inline, half go to a worker, switching back and forth
    const mixed = proxyModule.createWorkerSseTransformRunner({ threads: 2, inlineBelowBytes: 48 });
    try {
      for (const kind of ['chat', 'responses'] as const) {
        for (const seed of [5, 11, 23]) {
          for (const cut of [body, body.slice(0, Math.floor(body.length * 0.6))]) {
            const pieces = splitBytes(cut, seed);
            const failure: StreamFailure = { message: 'cut', type: 'upstream_error', code: null };
            const [fromInline, fromMixed] = await Promise.all([
              runThrough({ runner: inline, pieces, kind, failure }),
              runThrough({
                runner: mixed,
                pieces: pieces.map((piece) => piece.slice()),
                kind,
                failure,
              }),
            ]);
            expect(fromMixed.text).toBe(fromInline.text);
            expect(fromMixed.summary).toEqual(fromInline.summary);
          }
        }
      }
    } finally {
      await inline.close();
      await mixed.close();
    }
  });
});

let proxyModuleForResponses: BuiltProxyModule;
beforeAll(async () => {
  proxyModuleForResponses = await loadBuiltProxy();
});

describe('the proxy with SSE_WORKERS=2', () => {
  it('streams through the worker pool end to end', async () => {
    const environment = await startTestEnvironment({ env: { SSE_WORKERS: '2' } });
    try {
      const stream = await environment.openai.chat.completions.create({
        model: 'coder-model',
        messages: [{ role: 'user', content: 'hello' }],
        stream: true,
        stream_options: { include_usage: true },
      });
      let text = '';
      let usageSeen = false;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? '';
        usageSeen ||= chunk.usage !== null && chunk.usage !== undefined;
      }
      expect(text.length).toBeGreaterThan(0);
      expect(usageSeen).toBe(true);
      const metrics = parsePrometheusText(
        await (await fetch(`${environment.proxy.url}/metrics`)).text(),
      );
      expect(sumSamples(metrics.samples, 'qwen_relay_sse_worker_threads')).toBe(2);
      expect(
        sumSamples(metrics.samples, 'qwen_relay_streams_total', { end_state: 'completed' }),
      ).toBe(1);
    } finally {
      await environment.close();
    }
  });
});
