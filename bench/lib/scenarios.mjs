/**
 * The bench scenarios: what the fake streams, which arms take part, and the load phases
 * (autocannon for throughput and latency, the SSE client for stream timing). Durations derive
 * from the run's settings so `--quick` and BENCH_DURATION_S scale every scenario together.
 */

import {
  createAgentChatRequest,
  createAgentMessagesRequest,
  createAgentResponsesRequest,
} from './agent-conversation.mjs';

/** The chat completions path every chat scenario loads. */
export const CHAT_PATH = '/v1/chat/completions';
const EMBEDDINGS_PATH = '/v1/embeddings';
const RESPONSES_PATH = '/v1/responses';
const MESSAGES_PATH = '/v1/messages';
const PACING_IN_MS = 20;
// every plan host serves Messages at <host>/apps/anthropic (docs/plans-and-protocols.md)
const MESSAGES_KEY_ACCOUNT = {
  type: 'standard',
  host: 'dashscope-intl',
  nativePath: '/apps/anthropic/v1/messages',
  fromHostRoot: true,
  headers: { 'anthropic-version': '2023-06-01' },
};
const RESPONSES_KEY_ACCOUNT = {
  type: 'standard',
  host: 'dashscope-intl',
  nativePath: '/responses',
};
const STALL_FACTOR = 5;

/*
 * The fake's stream shape every scenario starts from. The fake's `configure` merges into its
 * current settings, so a scenario that leaves a field out would inherit the previous scenario's
 * value: until 2026-12-03 stream-large's 2 KiB chunks reached every later scenario of a full run
 * (bench/README.md, "Fourteenth pass"). createScenarios completes every scenario's shape from this.
 */
/**
 * The chunk counts of the translated streams: the 8, and a longer stream whose CPU per
 * request, against the 8-chunk one's, gives what one more chunk costs (evaluate-targets).
 */
export const TRANSLATED_STREAM_CHUNKS = Object.freeze({ short: 8, long: 64 });

/** The key of a protocol's CPU-per-chunk measurement among paired results (`responses-stream-slope`). */
export function formatSlopeName(protocol) {
  return `${protocol}-stream-slope`;
}

export const BASE_FAKE_STREAM = Object.freeze({ chunkCount: 8, chunkSize: 6, chunkDelayInMs: 0 });

const chatBody = ({ stream }) =>
  JSON.stringify({
    model: 'coder-model',
    messages: [{ role: 'user', content: 'Say something short.' }],
    ...(stream ? { stream: true } : {}),
  });

const responsesBody = ({ stream }) =>
  JSON.stringify({
    model: 'coder-model',
    input: 'Say something short.',
    ...(stream ? { stream: true } : {}),
  });

const messagesBody = ({ stream }) =>
  JSON.stringify({
    model: 'coder-model',
    max_tokens: 256,
    messages: [{ role: 'user', content: 'Say something short.' }],
    ...(stream ? { stream: true } : {}),
  });

/*
 * A protocol other than chat, served by translation to chat upstream: `proxy` sends the protocol's
 * request, while `floor` and `proxy-chat` send the same conversation as a chat completion. The
 * chat path is the translation's floor (the "translation adds ≤ 15 % CPU"): same upstream
 * chunks, so CPU per request compares like for like. Skipped when the proxy does not serve the
 * route (a branch before it landed).
 */
function createProtocolScenarios({ name, protocol, path, createBody, doneMarker, duration }) {
  const chatRequest = (stream) => ({
    path: CHAT_PATH,
    body: chatBody({ stream }),
    doneMarker: 'data: [DONE]',
  });
  const requestByArm = (stream) => ({
    floor: chatRequest(stream),
    'proxy-chat': chatRequest(stream),
  });
  return [
    {
      name,
      title: `non-streaming ${protocol} (translated to chat), 50 connections, saturating`,
      fakeStream: { chunkCount: 8, chunkDelayInMs: 0 },
      arms: ['floor', 'proxy-chat', 'proxy'],
      requiresRoute: path,
      phases: [
        {
          kind: 'autocannon',
          path,
          body: createBody({ stream: false }),
          connections: 50,
          requestByArm: requestByArm(false),
        },
      ],
    },
    ...[TRANSLATED_STREAM_CHUNKS.short, TRANSLATED_STREAM_CHUNKS.long].map((chunkCount) => ({
      name: `${name}-stream-${chunkCount}`,
      title: `streaming ${protocol} (translated), ${chunkCount} chunks, 50 connections (autocannon, then SSE client)`,
      fakeStream: { chunkCount, chunkDelayInMs: 0 },
      arms: ['floor', 'proxy-chat', 'proxy'],
      requiresRoute: path,
      phases: [
        {
          kind: 'autocannon',
          path,
          body: createBody({ stream: true }),
          connections: 50,
          requestByArm: requestByArm(true),
        },
        {
          kind: 'sse',
          path,
          body: createBody({ stream: true }),
          concurrency: 50,
          durationInS: Math.max(1, duration * 0.6),
          doneMarker,
          requestByArm: requestByArm(true),
        },
      ],
    })),
  ];
}

/*
 * A protocol passed through to a key account's native endpoint (no translation): the floor sends
 * the same request straight to that endpoint with the key (run-scenario attaches the account).
 */
function createPassthroughScenarios({
  name,
  protocol,
  path,
  createBody,
  doneMarker,
  keyAccount,
  duration,
}) {
  const common = {
    fakeStream: { chunkCount: 8, chunkDelayInMs: 0 },
    arms: ['floor', 'proxy'],
    requiresRoute: path,
    keyAccount,
  };
  return [
    {
      ...common,
      name,
      title: `non-streaming ${protocol} passed through to a ${keyAccount.type} key's native endpoint, 50 connections`,
      phases: [{ kind: 'autocannon', path, body: createBody({ stream: false }), connections: 50 }],
    },
    {
      ...common,
      name: `${name}-stream-8`,
      title: `streaming ${protocol} passed through, 8 chunks, 50 connections (autocannon, then SSE client)`,
      phases: [
        { kind: 'autocannon', path, body: createBody({ stream: true }), connections: 50 },
        {
          kind: 'sse',
          path,
          body: createBody({ stream: true }),
          concurrency: 50,
          durationInS: Math.max(1, duration * 0.6),
          doneMarker,
        },
      ],
    },
  ];
}

/** Every scenario in run order; `select` filters by name. */
export function createScenarios(options) {
  const duration = options.durationInS;
  const sseDuration = Math.max(1, duration * 0.6);
  const unpacedStream = (chunkCount, chunkSize) => ({
    chunkCount,
    chunkDelayInMs: 0,
    ...chunkSize,
  });
  const createPacedPhase = ({ concurrency, chunkCount, intervalInMs }) => {
    const streamInS = (chunkCount * intervalInMs) / 1000;
    return {
      kind: 'sse',
      path: CHAT_PATH,
      body: chatBody({ stream: true }),
      concurrency,
      // spread the first requests over one stream's length instead of a thundering herd, then
      // keep every user busy for at least two whole streams
      rampUpInMs: streamInS * 1000,
      durationInS: streamInS + Math.max(duration, 2 * streamInS),
      stallThresholdInMs: STALL_FACTOR * intervalInMs,
    };
  };
  const createPacedScenario = ({ concurrency, chunkCount, intervalInMs }) => ({
    name: `paced-${concurrency}`,
    title: `paced streaming, ${chunkCount} chunks × ${intervalInMs} ms, ${concurrency} concurrent streams`,
    fakeStream: { chunkCount, chunkDelayInMs: intervalInMs },
    arms: ['direct', 'floor', 'proxy', 'proxy-workers'],
    phases: [createPacedPhase({ concurrency, chunkCount, intervalInMs })],
  });
  const pacedPhase = (concurrency) =>
    createPacedPhase({ concurrency, chunkCount: 16, intervalInMs: PACING_IN_MS });
  const streamPhases = [
    { kind: 'autocannon', path: CHAT_PATH, body: chatBody({ stream: true }), connections: 50 },
    {
      kind: 'sse',
      path: CHAT_PATH,
      body: chatBody({ stream: true }),
      concurrency: 50,
      durationInS: sseDuration,
    },
  ];

  const scenarios = [
    {
      name: 'chat',
      title: 'non-streaming chat, 50 connections, saturating (autocannon)',
      fakeStream: unpacedStream(8),
      arms: ['direct', 'floor', 'json-floor', 'core', 'proxy'],
      phases: [
        { kind: 'autocannon', path: CHAT_PATH, body: chatBody({ stream: false }), connections: 50 },
      ],
    },
    {
      // what opencode, Cline and Roo send on every turn: ~96 KiB of system prompt, tools and
      // history, so the per-byte work shows (parse, validate, map, serialise)
      name: 'chat-agent',
      title: 'non-streaming chat with a 96 KiB agent conversation, 50 connections, saturating',
      fakeStream: unpacedStream(8),
      arms: ['floor', 'proxy'],
      phases: [
        {
          kind: 'autocannon',
          path: CHAT_PATH,
          body: JSON.stringify(createAgentChatRequest({ model: 'coder-model' })),
          connections: 50,
        },
      ],
    },
    {
      name: 'chat-latency',
      title: `non-streaming chat, steady ${options.latencyRate} req/s over 50 connections (added latency)`,
      fakeStream: unpacedStream(8),
      arms: ['direct', 'floor', 'proxy'],
      phases: [
        {
          kind: 'fixed-rate',
          path: CHAT_PATH,
          body: chatBody({ stream: false }),
          connections: 50,
          ratePerS: options.latencyRate,
        },
      ],
    },
    {
      name: 'stream-8',
      title: 'streaming chat, 8 chunks, 50 connections (autocannon, then SSE client)',
      fakeStream: unpacedStream(8),
      arms: ['direct', 'floor', 'json-floor', 'core', 'proxy', 'proxy-workers'],
      phases: streamPhases,
    },
    {
      name: 'stream-256',
      title: 'streaming chat, 256 chunks, 50 connections (autocannon, then SSE client)',
      fakeStream: unpacedStream(256),
      arms: ['direct', 'floor', 'proxy', 'proxy-workers'],
      phases: streamPhases,
    },
    {
      name: 'stream-large',
      title: 'streaming chat, 64 chunks × 2 KiB, 100 concurrent streams (SSE client)',
      fakeStream: unpacedStream(64, { chunkSize: 2048 }),
      arms: ['direct', 'floor', 'proxy', 'proxy-workers'],
      phases: [{ ...streamPhases[1], concurrency: 100, durationInS: duration }],
    },
    createPacedScenario({ concurrency: 50, chunkCount: 64, intervalInMs: PACING_IN_MS }),
    createPacedScenario({ concurrency: 200, chunkCount: 64, intervalInMs: PACING_IN_MS }),
    // 1,000 streams × one chunk per 20 ms is 50,000 writes/s from the fake and reads by the
    // client: more than two cores deliver even without a proxy (direct stalls). The default
    // paces 1,000 streams at 100 ms (10,000 events/s) so a stall is the proxy's own doing.
    createPacedScenario({
      concurrency: 1000,
      chunkCount: options.paced1000IntervalInMs >= 50 ? 16 : 64,
      intervalInMs: options.paced1000IntervalInMs,
    }),
    {
      // the proxy's proactive refresh fires up to 60 s (random) before the refresh window, so a
      // token this short-lived is usually refreshed as the load starts: the check is that the
      // proactive and on-demand paths together still make exactly one refresh and no failure
      name: 'token-expiry',
      title: 'access token inside its refresh window as 200 paced streams start (16 × 20 ms)',
      fakeStream: { chunkCount: 16, chunkDelayInMs: PACING_IN_MS },
      arms: ['proxy', 'proxy-workers'],
      runs: 1,
      warmup: false,
      // the token enters the proxy's 30 s refresh window this long after it was written
      tokenExpiry: { refreshBufferInS: 30, leadInS: options.quick ? 1.5 : 3 },
      phases: [{ ...pacedPhase(200), rampUpInMs: 0, durationInS: options.quick ? 3 : 6 }],
    },
    {
      name: 'token-revoked',
      title: 'upstream expires the token early (401 from then on) during 200 paced streams',
      fakeStream: { chunkCount: 16, chunkDelayInMs: PACING_IN_MS },
      arms: ['proxy', 'proxy-workers'],
      runs: 1,
      warmup: false,
      revokeTokenAfterInS: options.quick ? 1 : 2,
      phases: [{ ...pacedPhase(200), rampUpInMs: 0, durationInS: options.quick ? 2 : 5 }],
    },
    {
      name: 'embeddings',
      title: 'embeddings, 50 connections, saturating (autocannon)',
      fakeStream: unpacedStream(8),
      arms: ['direct', 'floor', 'proxy'],
      phases: [
        {
          kind: 'autocannon',
          path: EMBEDDINGS_PATH,
          body: JSON.stringify({ model: 'text-embedding-v4', input: ['The quick brown fox.'] }),
          connections: 50,
        },
      ],
    },
    ...createProtocolScenarios({
      name: 'responses',
      protocol: 'Responses',
      path: RESPONSES_PATH,
      createBody: responsesBody,
      doneMarker: 'event: response.completed',
      duration,
    }),
    ...createPassthroughScenarios({
      name: 'responses-passthrough',
      protocol: 'Responses',
      path: RESPONSES_PATH,
      createBody: ({ stream }) =>
        JSON.stringify({
          model: 'qwen3.5-plus',
          input: 'Say something short.',
          ...(stream ? { stream: true } : {}),
        }),
      doneMarker: 'event: response.completed',
      keyAccount: RESPONSES_KEY_ACCOUNT,
      duration,
    }),
    ...createProtocolScenarios({
      name: 'messages',
      protocol: 'Anthropic Messages',
      path: MESSAGES_PATH,
      createBody: messagesBody,
      doneMarker: 'event: message_stop',
      duration,
    }),
    ...createPassthroughScenarios({
      name: 'messages-passthrough',
      protocol: 'Anthropic Messages',
      path: MESSAGES_PATH,
      createBody: ({ stream }) =>
        JSON.stringify({
          model: 'qwen3.5-plus',
          max_tokens: 256,
          messages: [{ role: 'user', content: 'Say something short.' }],
          ...(stream ? { stream: true } : {}),
        }),
      doneMarker: 'event: message_stop',
      keyAccount: MESSAGES_KEY_ACCOUNT,
      duration,
    }),
    // the same passthrough with what Claude Code sends on every turn: ~96 KiB of system prompt,
    // tools and history, so the per-byte work shows (parse, validate, serialise)
    ...createPassthroughScenarios({
      name: 'messages-passthrough-agent',
      protocol: 'Anthropic Messages (a 96 KiB agent conversation)',
      path: MESSAGES_PATH,
      createBody: ({ stream }) =>
        JSON.stringify(createAgentMessagesRequest({ model: 'qwen3.5-plus', stream })),
      doneMarker: 'event: message_stop',
      keyAccount: MESSAGES_KEY_ACCOUNT,
      duration,
    }),
    // what Codex sends on every turn: instructions, tools and a ~96 KiB input history
    ...createPassthroughScenarios({
      name: 'responses-passthrough-agent',
      protocol: 'Responses (a 96 KiB agent conversation)',
      path: RESPONSES_PATH,
      createBody: ({ stream }) =>
        JSON.stringify(createAgentResponsesRequest({ model: 'qwen3.5-plus', stream })),
      doneMarker: 'event: response.completed',
      keyAccount: RESPONSES_KEY_ACCOUNT,
      duration,
    }),
  ];
  return scenarios.map((scenario) => ({
    ...scenario,
    fakeStream: { ...BASE_FAKE_STREAM, ...scenario.fakeStream },
  }));
}

/** Scenarios named in `names` (all when null); unknown names are an error. */
export function selectScenarios({ scenarios, names }) {
  if (!names) return scenarios;
  const known = new Set(scenarios.map((scenario) => scenario.name));
  for (const name of names) {
    if (!known.has(name)) throw new Error(`unknown scenario ${name}; known: ${[...known]}`);
  }
  return scenarios.filter((scenario) => names.includes(scenario.name));
}
