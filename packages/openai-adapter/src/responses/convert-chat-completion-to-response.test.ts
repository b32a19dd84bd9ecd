import { describe, expect, it } from 'vitest';
import {
  createTestContext,
  expectValidEventGrammar,
  parseResponsesEvents,
  readFinalResponse,
  runResponsesTransform,
} from '../../test/responses-helpers';
import { decodeAll } from '../../test/stream-helpers';
import { convertQwenChatCompletionToOpenAI } from '../mapping/convert-qwen-chat-completion-to-openai';
import { convertChatCompletionToResponse } from './convert-chat-completion-to-response';
import { synthesizeResponsesStream } from './synthesize-responses-stream';

const qwenBody = {
  id: 'chatcmpl-9',
  object: 'chat.completion',
  created: 1,
  model: 'qwen3-coder-plus',
  choices: [
    {
      index: 0,
      finish_reason: 'tool_calls',
      message: {
        role: 'assistant',
        content: 'Reading it.',
        reasoning_content: 'Need the file.',
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            function: { name: 'read_file', arguments: '{"path":"a"}' },
          },
          {
            id: 'call_2',
            type: 'function',
            function: { name: 'apply_patch', arguments: '{"input":"patch"}' },
          },
        ],
      },
    },
  ],
  usage: {
    prompt_tokens: 10,
    completion_tokens: 5,
    total_tokens: 15,
    prompt_tokens_details: { cached_tokens: 4 },
    completion_tokens_details: { reasoning_tokens: 3 },
  },
};

const context = createTestContext({
  clientModel: 'my-model',
  toolNames: { custom: ['apply_patch'], namespaced: {} },
});

describe('convertChatCompletionToResponse', () => {
  it('maps reasoning, text, calls and usage; echoes the requested model', () => {
    const completion = convertQwenChatCompletionToOpenAI({
      body: qwenBody,
      clientModel: 'my-model',
    });
    const response = convertChatCompletionToResponse({ completion, context });
    expect(response).toMatchObject({
      id: 'resp_test',
      object: 'response',
      status: 'completed',
      model: 'my-model',
      incomplete_details: null,
      error: null,
      output: [
        {
          type: 'reasoning',
          id: 'rs_test_0',
          summary: [{ type: 'summary_text', text: 'Need the file.' }],
        },
        {
          type: 'message',
          id: 'msg_test_1',
          status: 'completed',
          content: [{ type: 'output_text', text: 'Reading it.' }],
        },
        {
          type: 'function_call',
          id: 'fc_test_2',
          call_id: 'call_1',
          name: 'read_file',
          arguments: '{"path":"a"}',
        },
        {
          type: 'custom_tool_call',
          id: 'ctc_test_3',
          call_id: 'call_2',
          name: 'apply_patch',
          input: 'patch',
        },
      ],
      usage: {
        input_tokens: 10,
        input_tokens_details: { cached_tokens: 4 },
        output_tokens: 5,
        output_tokens_details: { reasoning_tokens: 3 },
        total_tokens: 15,
      },
    });
  });

  it('length → incomplete with max_output_tokens, and the calls incomplete', () => {
    const body = structuredClone(qwenBody);
    (body.choices[0] as { finish_reason: string }).finish_reason = 'length';
    const completion = convertQwenChatCompletionToOpenAI({ body, clientModel: 'my-model' });
    const response = convertChatCompletionToResponse({ completion, context });
    expect(response).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
    });
    expect(
      response.output.slice(1).map((item) => ('status' in item ? item.status : undefined)),
    ).toEqual(['incomplete', 'incomplete', 'incomplete']);
  });

  it('synthesizeResponsesStream gives the same events as streaming the same answer', () => {
    const completion = convertQwenChatCompletionToOpenAI({
      body: qwenBody,
      clientModel: 'my-model',
    });
    const synthesized = decodeAll([synthesizeResponsesStream({ completion, context })]);
    const events = parseResponsesEvents(synthesized);
    expectValidEventGrammar(events);
    expect(readFinalResponse(events)).toEqual(
      convertChatCompletionToResponse({ completion, context }),
    );
    const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
      `data: ${JSON.stringify({ choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    const upstream = new TextEncoder().encode(
      chunk({ reasoning_content: 'Need the file.' }) +
        chunk({ content: 'Reading it.' }) +
        chunk({
          tool_calls: qwenBody.choices[0]?.message.tool_calls.map((call, index) => ({
            index,
            ...call,
          })),
        }) +
        chunk({}, 'tool_calls') +
        `data: ${JSON.stringify({ choices: [], usage: qwenBody.usage })}\n\ndata: [DONE]\n\n`,
    );
    expect(runResponsesTransform({ parts: [upstream], context }).text).toBe(synthesized);
  });
});
