// @qwen-relay/openai-adapter: pure OpenAI ↔ Qwen mapping. Validates a request (a bad one becomes
// the OpenAI error envelope), converts it to the Qwen dialect, and turns the upstream's SSE bytes
// into OpenAI SSE. fake-qwen plays the upstream: `node examples/openai-adapter.mjs`.
import { startFakeQwen } from '@qwen-relay/fake-qwen';
import {
  convertChatCompletionRequestToQwen,
  convertErrorToOpenAIError,
  createChatStreamTransform,
  safeParseChatCompletionRequest,
} from '@qwen-relay/openai-adapter';

// 1. bad input: the envelope and status a proxy answers with
const invalid = safeParseChatCompletionRequest({ model: 'coder-model', messages: 'hello' });
if (!invalid.success) {
  const { status, body } = convertErrorToOpenAIError(invalid.error);
  console.log(`invalid request → ${status} ${body.error.type} (param ${body.error.param})`);
}

// 2. a valid request, mapped to the Qwen dialect
const parsed = safeParseChatCompletionRequest({
  model: 'coder-model',
  messages: [{ role: 'user', content: 'Hello' }],
  stream: true,
  stream_options: { include_usage: true },
  reasoning_effort: 'low',
});
if (!parsed.success) throw parsed.error;
const { payload, clientModel, includeUsage } = convertChatCompletionRequestToQwen({
  request: parsed.data,
});
console.log(`Qwen payload: ${JSON.stringify(payload)}`);

// 3. the upstream's stream, transformed read by read (the adapter does no I/O itself)
const fake = await startFakeQwen({ apiKeys: ['sk-example'], stream: { chunkCount: 3 } });
try {
  const upstream = await fetch(`${fake.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk-example', 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  });
  const transform = createChatStreamTransform({ clientModel, includeUsage });
  let openAiSse = '';
  for await (const read of upstream.body) {
    openAiSse += Buffer.from(transform.transform(read)).toString('utf8');
  }
  const { bytes, summary } = transform.end();
  openAiSse += Buffer.from(bytes).toString('utf8');
  const lastEvents = openAiSse.trimEnd().split('\n\n').slice(-2);
  console.log(`OpenAI SSE ends with:\n${lastEvents.join('\n')}`);
  console.log(`stream end: ${summary.endState}`);
} finally {
  await fake.close();
}
