// Micro-benchmark of a chat request's way to the upstream: the body parsed, mapped by
// `convertChatCompletionRequestToQwen`, and the payload serialised, as the proxy and
// qwen-client do once per request. µs of CPU per request for a coding agent's request (system
// prompt, twelve tools, max_tokens, temperature, stream_options, a null field) and for the bench's
// minimal one. Not a test and not part of `pnpm bench`:
//   pnpm --filter @qwen-relay/openai-adapter build && node bench/micro/chat-request-mapping.mjs
// Pass paths of several builds (each a dist/index.js) to compare them: their rounds are
// interleaved batch by batch, so load from other processes hits them alike, and their payloads
// must be identical byte for byte; the ratio to the first build is the median of the rounds' ratios.
// Time is the process's CPU time (user + system), not wall time: the machine is shared.
// Options (environment): MICRO_REQUESTS (20000 per round), MICRO_ROUNDS (15).
import { loadBuilds, medianOfRounds } from '../lib/micro-builds.mjs';

const REQUESTS = Number(process.env.MICRO_REQUESTS ?? 20_000);
const ROUNDS = Number(process.env.MICRO_ROUNDS ?? 15);
const BATCH = 500;

const builds = await loadBuilds('@qwen-relay/openai-adapter');

const tools = Array.from({ length: 12 }, (_, index) => ({
  type: 'function',
  function: {
    name: `tool_${index}`,
    description: 'Reads a file of the workspace and returns its text. '.repeat(3),
    parameters: {
      type: 'object',
      properties: { path: { type: 'string', description: 'a path in the workspace' } },
      required: ['path'],
    },
  },
}));

const cases = [
  {
    name: 'coding agent (tools, max_tokens, null field)',
    body: JSON.stringify({
      model: 'qwen3-coder-plus',
      messages: [
        { role: 'system', content: 'You are a coding agent working in a repository. '.repeat(30) },
        { role: 'user', content: 'Fix the failing test in src/app.test.ts.' },
        { role: 'assistant', content: 'Reading the test first.' },
        { role: 'user', content: 'Go on.' },
      ],
      max_tokens: 8192,
      temperature: 0,
      tools,
      tool_choice: 'auto',
      parallel_tool_calls: false,
      stream: true,
      stream_options: { include_usage: true },
      user: null,
    }),
  },
  {
    name: 'minimal (the bench scenarios body)',
    body: JSON.stringify({
      model: 'coder-model',
      messages: [{ role: 'user', content: 'Say something short.' }],
    }),
  },
];

function cpuTimeInUs() {
  const { user, system } = process.cpuUsage();
  return user + system;
}

function runBatch(module, body) {
  let size = 0;
  for (let index = 0; index < BATCH; index++) {
    const request = JSON.parse(body);
    const { payload } = module.convertChatCompletionRequestToQwen({ request, modelAliases: {} });
    size += JSON.stringify(payload).length;
  }
  return size;
}

console.log(
  `chat request mapping: parse + convertChatCompletionRequestToQwen + stringify, ${REQUESTS} requests × ${ROUNDS} rounds, node ${process.version}`,
);
for (const { name, body } of cases) {
  // the builds must send the same bytes upstream
  const outputs = builds.map(({ module }) =>
    JSON.stringify(
      module.convertChatCompletionRequestToQwen({ request: JSON.parse(body), modelAliases: {} })
        .payload,
    ),
  );
  if (outputs.some((output) => output !== outputs[0])) {
    throw new Error(`${name}: the builds map the request differently`);
  }
  for (const { module } of builds) for (let warm = 0; warm < 40; warm++) runBatch(module, body);
  const perRound = builds.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    const spent = builds.map(() => 0);
    for (let done = 0; done < REQUESTS; done += BATCH) {
      for (const [index, { module }] of builds.entries()) {
        const startedAt = cpuTimeInUs();
        runBatch(module, body);
        spent[index] += cpuTimeInUs() - startedAt;
      }
    }
    for (const [index, total] of spent.entries()) perRound[index].push(total / REQUESTS);
  }
  console.log(`\n${name}`);
  for (const [index, { path }] of builds.entries()) {
    const ratios = perRound[index].map((value, round) => value / perRound[0][round]);
    console.log(
      `  ${medianOfRounds(perRound[index]).toFixed(2).padStart(7)} µs/request` +
        (index === 0 ? '' : `  ${medianOfRounds(ratios).toFixed(3)}× the first`) +
        `  ${path}`,
    );
  }
}
