// Micro-benchmark of what one streamed Responses request costs the adapter from end to end, beside
// the same request on the chat path: the body parsed and validated, mapped to the upstream
// payload, the payload serialised, and the upstream's 8-chunk answer (one read, as the bench's fake
// delivers it) transformed, its output measured as Node's `write` measures it (Buffer.byteLength).
// That is the adapter's share of the `responses-stream-8` scenario against its `proxy-chat` arm,
// without the HTTP layers both paths share. µs of CPU per request and the Responses ÷ chat ratio.
// Not a test and not part of `pnpm bench`:
//   pnpm --filter @qwen-relay/openai-adapter build && node bench/micro/responses-stream-request.mjs
// Pass paths of several builds (each a dist/index.js) to compare them: their rounds are
// interleaved batch by batch, so load from other processes hits them alike, and their outputs
// must agree (response ids aside, which are random); the ratio to the first build is the median
// of the rounds' ratios. Time is the process's CPU time (user + system), not wall time.
// Options (environment): MICRO_REQUESTS (20000 per round), MICRO_ROUNDS (15), MICRO_CHUNKS (8),
// MICRO_BODY (`minimal`: the bench's one-line prompt; `agent`: a coding agent's turn of
// MICRO_AGENT_KIB (32) KiB from lib/agent-conversation.mjs, Codex's shape against opencode's,
// whose instructions and tools every Responses event that carries the response repeats).
import { createAgentChatRequest, createAgentResponsesRequest } from '../lib/agent-conversation.mjs';
import { loadBuilds, medianOfRounds } from '../lib/micro-builds.mjs';

const REQUESTS = Number(process.env.MICRO_REQUESTS ?? 20_000);
const ROUNDS = Number(process.env.MICRO_ROUNDS ?? 15);
const CHUNKS = Number(process.env.MICRO_CHUNKS ?? 8);
const BODY = process.env.MICRO_BODY ?? 'minimal';
const AGENT_KIB = Number(process.env.MICRO_AGENT_KIB ?? 32);
const BATCH = 250;

const builds = await loadBuilds('@qwen-relay/openai-adapter');

// the bench's request bodies (bench/lib/scenarios.mjs), streamed, or an agent's
const bodies =
  BODY === 'agent'
    ? {
        chat: JSON.stringify(
          createAgentChatRequest({ sizeInKiB: AGENT_KIB, stream: true, model: 'coder-model' }),
        ),
        responses: JSON.stringify(
          createAgentResponsesRequest({ sizeInKiB: AGENT_KIB, stream: true, model: 'coder-model' }),
        ),
      }
    : {
        chat: JSON.stringify({
          model: 'coder-model',
          messages: [{ role: 'user', content: 'Say something short.' }],
          stream: true,
        }),
        responses: JSON.stringify({
          model: 'coder-model',
          input: 'Say something short.',
          stream: true,
        }),
      };

// the fake's answer in the shape Qwen sends it, every event in one read
const id = 'chatcmpl-0b5e2a7c-1111-4222-8333-444455556666';
const head = `"object":"chat.completion.chunk","usage":null,"created":1775000100,"system_fingerprint":null,"model":"qwen3-coder-plus","id":"${id}"`;
const events = [
  `{"choices":[{"delta":{"content":"","role":"assistant"},"index":0,"logprobs":null,"finish_reason":null}],${head}}`,
];
for (let index = 0; index < CHUNKS; index++) {
  events.push(
    `{"choices":[{"finish_reason":null,"logprobs":null,"delta":{"content":"tok${index} "},"index":0}],${head}}`,
  );
}
events.push(
  `{"choices":[{"finish_reason":"stop","delta":{"content":""},"index":0,"logprobs":null}],${head}}`,
  `{"choices":[],${head.replace('"usage":null', '"usage":{"prompt_tokens":42,"completion_tokens":8,"total_tokens":50,"prompt_tokens_details":{"cached_tokens":0}}')}}`,
  '[DONE]',
);
const read = Buffer.from(events.map((data) => `data: ${data}\n\n`).join(''));

const paths = {
  chat(module, parsers) {
    const request = JSON.parse(bodies.chat);
    const parsed = parsers.chat.safeParse(request);
    if (!parsed.success) throw parsed.error;
    const { payload } = module.convertChatCompletionRequestToQwen({
      request: parsed.data,
      modelAliases: {},
    });
    const upstream = JSON.stringify(payload);
    const transform = module.createChatStreamTransform({
      clientModel: 'coder-model',
      includeUsage: false,
    });
    return { upstream, output: transform.transformForWrite(read), transform };
  },
  responses(module, parsers) {
    const request = JSON.parse(bodies.responses);
    const parsed = parsers.responses.safeParse(request);
    if (!parsed.success) throw parsed.error;
    const { payload, context } = module.convertResponsesRequestToQwen({
      request: parsed.data,
      modelAliases: {},
    });
    const upstream = JSON.stringify(payload);
    const transform = module.createResponsesStreamTransform({ context });
    return { upstream, output: transform.transformForWrite(read), transform };
  },
};

function createParsers(module) {
  return {
    chat: { safeParse: module.safeParseChatCompletionRequest },
    responses: module.createResponsesRequestParsers({ storesResponses: false }),
  };
}

function cpuTimeInUs() {
  const { user, system } = process.cpuUsage();
  return user + system;
}

function runBatch(module, parsers, path) {
  let size = 0;
  for (let index = 0; index < BATCH; index++) {
    const { upstream, output, transform } = paths[path](module, parsers);
    const { bytes } = transform.end();
    size += upstream.length + Buffer.byteLength(output) + bytes.length;
  }
  return size;
}

// the outputs of one request, the random response ids made alike
function outputsOf(module, path) {
  const { upstream, output, transform } = paths[path](module, createParsers(module));
  const text = `${upstream}\n${output}${Buffer.from(transform.end().bytes).toString()}`;
  return text.replace(/(resp|msg|rs)_[0-9a-f]{32}/g, '$1_ID').replace(/"created_at":\d+/g, '');
}

const withParsers = builds.map((build) => ({ ...build, parsers: createParsers(build.module) }));
for (const path of Object.keys(paths)) {
  const outputs = withParsers.map(({ module }) => outputsOf(module, path));
  if (outputs.some((output) => output !== outputs[0])) {
    throw new Error(`${path}: the builds' outputs differ`);
  }
}

console.log(
  `a streamed request through the adapter (parse, map, serialise, transform ${CHUNKS} chunks, byteLength), ${BODY} body (${bodies.chat.length} / ${bodies.responses.length} bytes), ${REQUESTS} requests × ${ROUNDS} rounds, node ${process.version}`,
);
for (const { module, parsers } of withParsers) {
  for (let warm = 0; warm < 40; warm++)
    for (const path of Object.keys(paths)) runBatch(module, parsers, path);
}
const perRound = withParsers.map(() => ({ chat: [], responses: [] }));
for (let round = 0; round < ROUNDS; round++) {
  const spent = withParsers.map(() => ({ chat: 0, responses: 0 }));
  for (let done = 0; done < REQUESTS; done += BATCH) {
    for (const [index, { module, parsers }] of withParsers.entries()) {
      for (const path of Object.keys(paths)) {
        const startedAt = cpuTimeInUs();
        runBatch(module, parsers, path);
        spent[index][path] += cpuTimeInUs() - startedAt;
      }
    }
  }
  for (const [index, totals] of spent.entries()) {
    for (const path of Object.keys(paths)) perRound[index][path].push(totals[path] / REQUESTS);
  }
}
for (const [index, { path }] of withParsers.entries()) {
  const { chat, responses } = perRound[index];
  const overChat = responses.map((value, round) => value / chat[round]);
  const againstFirst = responses.map((value, round) => value / perRound[0].responses[round]);
  console.log(
    `  chat ${medianOfRounds(chat).toFixed(2).padStart(6)} µs  responses ${medianOfRounds(responses).toFixed(2).padStart(6)} µs` +
      `  (+${(medianOfRounds(responses) - medianOfRounds(chat)).toFixed(2)} µs, ${medianOfRounds(overChat).toFixed(3)}× chat)` +
      (index === 0 ? '' : `  responses ${medianOfRounds(againstFirst).toFixed(3)}× the first`) +
      `  ${path}`,
  );
}
