import { describe, expect, it } from 'vitest';
import { convertResponsesRequestToChat } from './convert-responses-request-to-chat';
import { convertResponsesInputToItems, expandPreviousResponse } from './expand-previous-response';
import { parseResponsesRequest } from './parse-responses-request';

const previous = {
  input: [{ type: 'message', role: 'user', content: 'What is the weather in Paris?' }] as Record<
    string,
    unknown
  >[],
  response: {
    id: 'resp_1',
    object: 'response',
    status: 'completed',
    output: [
      { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'Use the tool.' }] },
      {
        type: 'function_call',
        id: 'fc_1',
        status: 'completed',
        call_id: 'call_1',
        name: 'get_weather',
        arguments: '{"city":"Paris"}',
      },
      { type: 'web_search_call', id: 'ws_1', status: 'completed' },
    ],
  },
};

describe('expandPreviousResponse', () => {
  it('puts the kept conversation and the previous output before the new input', () => {
    const expanded = expandPreviousResponse({
      request: {
        model: 'm',
        previous_response_id: 'resp_1',
        instructions: 'Be brief.',
        input: [{ type: 'function_call_output', call_id: 'call_1', output: 'sunny' }],
      },
      previous,
    });
    expect(expanded.previous_response_id).toBe('resp_1');
    expect(expanded.instructions).toBe('Be brief.');
    // the hosted-tool item has no Qwen counterpart and is not carried over
    expect(expanded.input).toEqual([
      previous.input[0],
      previous.response.output[0],
      previous.response.output[1],
      { type: 'function_call_output', call_id: 'call_1', output: 'sunny' },
    ]);
    // and the translation turns it into a valid chat history: the call answered by its output
    const { chatRequest } = convertResponsesRequestToChat(expanded);
    expect(chatRequest.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'What is the weather in Paris?' },
      {
        role: 'assistant',
        content: null,
        reasoning_content: 'Use the tool.',
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
    ]);
  });

  it('a string input and chat-style messages become items; the previous message output is carried', () => {
    const withMessage = {
      input: [{ type: 'message', role: 'user', content: 'Hi' }] as Record<string, unknown>[],
      response: {
        id: 'resp_2',
        output: [
          {
            type: 'message',
            id: 'msg_2',
            status: 'completed',
            role: 'assistant',
            content: [{ type: 'output_text', text: 'Hello!', annotations: [] }],
          },
        ],
      },
    };
    const fromString = expandPreviousResponse({
      request: parseResponsesRequest({ model: 'm', input: 'And you?' }),
      previous: withMessage,
    });
    expect(fromString.input).toEqual([
      withMessage.input[0],
      withMessage.response.output[0],
      { type: 'message', role: 'user', content: 'And you?' },
    ]);
    const fromMessages = expandPreviousResponse({
      request: { model: 'm', messages: [{ role: 'user', content: 'And you?' }] },
      previous: withMessage,
    });
    expect(fromMessages).not.toHaveProperty('messages');
    expect(fromMessages.input).toHaveLength(3);
    expect(convertResponsesRequestToChat(fromString).chatRequest.messages).toEqual([
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello!' },
      { role: 'user', content: 'And you?' },
    ]);
  });

  it('convertResponsesInputToItems: a string is one user message, non-objects are dropped', () => {
    expect(convertResponsesInputToItems({ input: 'x' })).toEqual([
      { type: 'message', role: 'user', content: 'x' },
    ]);
    expect(convertResponsesInputToItems({ input: [{ role: 'user', content: 'y' }] })).toEqual([
      { role: 'user', content: 'y' },
    ]);
    expect(convertResponsesInputToItems({})).toEqual([]);
  });
});
