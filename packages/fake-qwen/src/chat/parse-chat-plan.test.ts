import { describe, expect, it } from 'vitest';
import { createDefaultSettings } from '../server/fake-settings';
import { parseChatPlan } from './parse-chat-plan';

const tools = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      parameters: { type: 'object', properties: { city: { type: 'string' } } },
    },
  },
];

function plan(body: Record<string, unknown>) {
  const result = parseChatPlan({
    body: { model: 'coder-model', ...body },
    settings: createDefaultSettings(),
  });
  if (!result.success) throw new Error(result.message);
  return result.plan;
}

describe('parseChatPlan', () => {
  it('calls a tool, and answers with text once the last message is a tool result', () => {
    expect(
      plan({ messages: [{ role: 'user', content: 'weather?' }], tools }).toolCalls,
    ).toHaveLength(1);
    const afterResult = plan({
      messages: [
        { role: 'user', content: 'weather?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'c1', content: 'sunny' },
      ],
      tools,
    });
    expect(afterResult.toolCalls).toEqual([]);
  });

  it('answers response_format json_schema with JSON that fits the schema', () => {
    const result = plan({
      messages: [{ role: 'user', content: 'x' }],
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'answer',
          schema: {
            type: 'object',
            properties: {
              city: { type: 'string' },
              days: { type: 'array', items: { type: 'integer' } },
            },
          },
        },
      },
    });
    expect(JSON.parse(result.jsonContent ?? '')).toEqual({ city: 'example', days: [1] });
  });
});
