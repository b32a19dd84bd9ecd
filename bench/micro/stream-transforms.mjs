// Micro-benchmark of the adapter's stream transforms: µs of CPU per upstream SSE event for the
// chat, Responses and Anthropic translations and the two native passthroughs, over a stream of
// N recorded-shape events fed one event per read (as the upstream's socket delivers them).
// Not a test and not part of `pnpm bench`:
//   pnpm --filter @qwen-relay/openai-adapter build && node bench/micro/stream-transforms.mjs
// Pass paths of several builds (each a dist/index.js) to compare them: their rounds are
// interleaved batch by batch (256 reads), so load from other processes hits them alike, and
// their outputs must agree; the ratio to the first build is the median of the rounds' ratios.
// Time is the process's CPU time (user + system), not wall time: the machine is shared.
// Options (environment): MICRO_EVENTS (20000), MICRO_ROUNDS (15), MICRO_ONLY (a substring of
// the case names to run, e.g. "chat text"), MICRO_STREAMS (1: one long stream per round; more,
// e.g. MICRO_EVENTS=12 MICRO_STREAMS=2000, times that many short streams per round, each a new
// transform, so the per-stream costs (the Responses start and final events) count as in the
// bench's 8-chunk scenarios; reported per stream as well), MICRO_TEXT (`plain`: the deltas' words
// ASCII without escapes, as the bench's fake upstream streams them; by default some have quotes,
// backslashes and non-ASCII letters, as an agent's answers do).
import { loadBuilds, medianOfRounds } from '../lib/micro-builds.mjs';

const EVENTS = Number(process.env.MICRO_EVENTS ?? 20_000);
const ROUNDS = Number(process.env.MICRO_ROUNDS ?? 15);
const ONLY = process.env.MICRO_ONLY ?? '';
const STREAMS = Number(process.env.MICRO_STREAMS ?? 1);
const BATCH_READS = 256;
const BATCH_STREAMS = 32;

const builds = await loadBuilds('@qwen-relay/openai-adapter');

const id = 'chatcmpl-0b5e2a7c-1111-4222-8333-444455556666';
const head = `"object":"chat.completion.chunk","usage":null,"created":1775000100,"system_fingerprint":null,"model":"qwen3.6-plus","id":"${id}"`;
const words =
  process.env.MICRO_TEXT === 'plain'
    ? ['Hello', ' there', ' and', ' works', ' more text']
    : ['Hello', ' there', '! Ünïcödé', ' ✓ works', ' — 日本語も。', ' "quoted"', ' a\\b'];

// the shapes Qwen sends (src/__fixtures__): compact JSON, `choices` first, `usage` null
function textChunk(field, text) {
  return `{"choices":[{"finish_reason":null,"logprobs":null,"delta":{"${field}":${JSON.stringify(text)}},"index":0}],${head}}`;
}
function toolChunk(index, first, args) {
  const call = first
    ? `{"index":${index},"id":"call_${index}","type":"function","function":{"name":"read_file","arguments":${JSON.stringify(args)}}}`
    : `{"function":{"arguments":${JSON.stringify(args)}},"index":${index},"id":"","type":"function"}`;
  return `{"choices":[{"delta":{"tool_calls":[${call}]},"index":0}],${head}}`;
}

// text: content deltas only (chat's fast path). mixed: reasoning, then text, then tool calls.
function upstreamEvents(workload) {
  const events = [
    `{"choices":[{"delta":{"content":"","role":"assistant"},"index":0,"logprobs":null,"finish_reason":null}],${head}}`,
  ];
  for (let index = 0; index < EVENTS - 4; index++) {
    const word = words[index % words.length];
    if (workload === 'text') events.push(textChunk('content', word));
    else if (index < (EVENTS - 4) * 0.3) events.push(textChunk('reasoning_content', word));
    else if (index < (EVENTS - 4) * 0.8) events.push(textChunk('content', word));
    else {
      const call = Math.floor((index / (EVENTS - 4)) * 20);
      const previous = Math.floor(((index - 1) / (EVENTS - 4)) * 20);
      events.push(toolChunk(call, call !== previous, index % 3 === 0 ? '{"path":' : `"${word}"`));
    }
  }
  const finish = workload === 'text' ? 'stop' : 'tool_calls';
  events.push(
    `{"choices":[{"finish_reason":"${finish}","delta":{"content":""},"index":0,"logprobs":null}],${head}}`,
  );
  events.push(
    `{"choices":[],${head.replace('"usage":null', '"usage":{"prompt_tokens":42,"completion_tokens":9000,"total_tokens":9042,"prompt_tokens_details":{"cached_tokens":0}}')}}`,
  );
  events.push('[DONE]');
  // node Buffers, as undici hands the proxy each read
  return events.map((data) => Buffer.from(`data: ${data}\n\n`));
}

// the context of a real Responses request, as the proxy gets it
const { context } = builds[0].module.convertResponsesRequestToQwen({
  request: { model: 'qwen3-coder-plus', input: 'Write a long answer.', stream: true },
  responseId: 'resp_bench',
  createdAtInSeconds: 1_775_000_000,
});

const translations = {
  chat: (module) =>
    module.createChatStreamTransform({ clientModel: 'coder-model', includeUsage: true }),
  responses: (module) => module.createResponsesStreamTransform({ context }),
  anthropic: (module) =>
    module.createAnthropicStreamTransform({
      clientModel: 'claude-sonnet-4-5',
      messageId: 'msg_bench',
      estimatedInputTokens: 42,
    }),
};
const passthroughs = {
  'responses-passthrough': {
    create: (module) => module.createResponsesPassthroughTransform(),
    from: 'responses',
  },
  'anthropic-passthrough': {
    create: (module) => module.createAnthropicPassthroughTransform(),
    from: 'anthropic',
  },
};

function runStream(create, module, reads) {
  const transform = create(module);
  const outputs = [];
  for (const read of reads) outputs.push(transform.transform(read));
  outputs.push(transform.end().bytes);
  return outputs;
}

// The builds side by side: `runBatch(buildIndex, start, end)` does one batch of a build's work
// (items [start, end) of `total`), and each batch is timed for every build in turn, the order
// alternating, so a change of machine load hits every build alike. Returns each build's CPU µs.
function timeInBatches({ total, batchSize, runBatch }) {
  const cpuInUs = builds.map(() => 0);
  const order = builds.map((_build, index) => index);
  for (let start = 0; start < total; start += batchSize) {
    const end = Math.min(total, start + batchSize);
    order.reverse();
    for (const buildIndex of order) {
      const before = process.cpuUsage();
      runBatch(buildIndex, start, end);
      const { user, system } = process.cpuUsage(before);
      cpuInUs[buildIndex] += user + system;
    }
  }
  return cpuInUs;
}

// One stream per build, its reads in batches. As the proxy does, each output is taken as text
// (transformForWrite: the proxy encodes a turn's output once, when writing it) and dropped.
function timeStreams(create, reads) {
  const transforms = builds.map(({ module }) => create(module));
  return timeInBatches({
    total: reads.length,
    batchSize: BATCH_READS,
    runBatch(buildIndex, start, end) {
      const transform = transforms[buildIndex];
      for (let index = start; index < end; index++) transform.transformForWrite(reads[index]);
      if (end === reads.length) transform.end();
    },
  });
}

// Many short streams per build (MICRO_STREAMS), each a new transform, in batches of streams.
function timeShortStreams(create, reads) {
  return timeInBatches({
    total: STREAMS,
    batchSize: BATCH_STREAMS,
    runBatch(buildIndex, start, end) {
      const { module } = builds[buildIndex];
      for (let stream = start; stream < end; stream++) {
        const transform = create(module);
        for (const read of reads) transform.transformForWrite(read);
        transform.end();
      }
    },
  });
}

function joinText(outputs) {
  return Buffer.concat(outputs).toString('utf8');
}

function measure({ label, create, reads }) {
  // the same bytes from every build, or the comparison means nothing
  const reference = joinText(runStream(create, builds[0].module, reads));
  if (!label.includes(ONLY)) return reference;
  for (const { module, path } of builds.slice(1)) {
    if (joinText(runStream(create, module, reads)) !== reference)
      throw new Error(`${label}: ${path} disagrees on the output`);
  }
  const time = STREAMS > 1 ? timeShortStreams : timeStreams;
  for (let warm = 0; warm < 3; warm++) time(create, reads);
  const samples = builds.map(() => []);
  const ratios = builds.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    const cpuInUs = time(create, reads);
    builds.forEach((_build, buildIndex) => {
      samples[buildIndex].push(cpuInUs[buildIndex] / (reads.length * STREAMS));
      ratios[buildIndex].push(cpuInUs[buildIndex] / cpuInUs[0]);
    });
  }
  builds.forEach(({ path }, buildIndex) => {
    const ratio =
      buildIndex === 0 ? '' : ` ×${medianOfRounds(ratios[buildIndex]).toFixed(3)} of the first`;
    const perEvent = medianOfRounds(samples[buildIndex]);
    const perStream = STREAMS > 1 ? ` = ${(perEvent * reads.length).toFixed(2)} µs/stream` : '';
    console.log(
      `${label.padEnd(32)} ${perEvent.toFixed(3)} µs/event${perStream} (min ${Math.min(...samples[buildIndex]).toFixed(3)})${ratio}  ${path}`,
    );
  });
  return reference;
}

for (const workload of ['text', 'mixed']) {
  const reads = upstreamEvents(workload);
  const native = {};
  for (const [name, create] of Object.entries(translations)) {
    native[name] = measure({ label: `${name} ${workload}`, create, reads });
  }
  for (const [name, { create, from }] of Object.entries(passthroughs)) {
    // the translation's output is the native stream, one event per read
    const events = native[from].split(/(?<=\n\n)/).map((event) => Buffer.from(event));
    measure({ label: `${name} ${workload}`, create, reads: events });
  }
}
