import { describe, expect, it } from 'vitest';
import { buildStreamEvents } from './build-stream-events';
import { createChunkFramer } from './create-chunk-framer';
import { createReplyScript } from './create-reply-script';
import type { ChatPlan } from './parse-chat-plan';

const framer = createChunkFramer({
  id: 'chatcmpl-1',
  createdInSeconds: 1775000100,
  model: 'qwen3.6-plus',
});
const basePlan: ChatPlan = {
  stream: true,
  includeUsage: true,
  model: 'qwen3.6-plus',
  thinking: false,
  toolCalls: [],
};

function script(plan: Partial<ChatPlan> = {}, chunkCount = 2) {
  let counter = 0;
  return createReplyScript({
    plan: { ...basePlan, ...plan },
    chunkCount,
    chunkSize: 5,
    reasoningChunkCount: 1,
    promptBytes: 168,
    createToolCallId: () => `call_${++counter}`,
  });
}

describe('buildStreamEvents', () => {
  it('produces byte-exact docs/qwen-upstream.md §2.6 text chunks', () => {
    const events = buildStreamEvents({
      script: script(),
      framer,
      includeUsage: true,
      combinedFinalChunk: false,
    });
    const trailer =
      '"created":1775000100,"system_fingerprint":null,"model":"qwen3.6-plus","id":"chatcmpl-1"}\n\n';
    const nullUsage = `],"object":"chat.completion.chunk","usage":null,${trailer}`;
    expect(events).toEqual([
      `data: {"choices":[{"delta":{"content":"","role":"assistant"},"index":0,"logprobs":null,"finish_reason":null}${nullUsage}`,
      `data: {"choices":[{"finish_reason":null,"logprobs":null,"delta":{"content":"Hello"},"index":0}${nullUsage}`,
      `data: {"choices":[{"finish_reason":null,"logprobs":null,"delta":{"content":" from"},"index":0}${nullUsage}`,
      `data: {"choices":[{"finish_reason":"stop","delta":{"content":""},"index":0,"logprobs":null}${nullUsage}`,
      `data: {"choices":[],"object":"chat.completion.chunk","usage":{"prompt_tokens":42,"completion_tokens":2,"total_tokens":44,"prompt_tokens_details":{"cached_tokens":0}},${trailer}`,
    ]);
  });

  it('escapes model names and text through JSON', () => {
    const odd = createChunkFramer({ id: 'x', createdInSeconds: 1, model: 'a"b' });
    const [event] = buildStreamEvents({
      script: script(),
      framer: odd,
      includeUsage: false,
      combinedFinalChunk: false,
    });
    expect(JSON.parse(event!.slice(6)).model).toBe('a"b');
  });

  it('splits tool arguments so the fragments concatenate to the JSON', () => {
    const events = buildStreamEvents({
      script: script({ toolCalls: [{ name: 'f', argumentsJson: '{"a":"xyz","b":1}' }] }),
      framer,
      includeUsage: false,
      combinedFinalChunk: false,
    });
    const payloads = events.map(
      (event) =>
        JSON.parse(event.slice(6)) as {
          choices: Array<{ delta: { tool_calls?: Array<{ function: { arguments?: string } }> } }>;
        },
    );
    const argumentsText = payloads
      .map((payload) => payload.choices[0]!.delta.tool_calls?.[0]?.function.arguments ?? '')
      .join('');
    expect(argumentsText).toBe('{"a":"xyz","b":1}');
    expect(events).toHaveLength(3 + 1);
  });
});
