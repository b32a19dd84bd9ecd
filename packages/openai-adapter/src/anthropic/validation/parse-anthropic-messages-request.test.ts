import { describe, expect, it } from 'vitest';
import { convertErrorToAnthropicError } from '../errors/convert-error-to-anthropic-error';
import {
  safeParseAnthropicCountTokensRequest,
  safeParseAnthropicMessagesRequest,
} from './parse-anthropic-messages-request';

const valid = {
  model: 'qwen3-coder-plus',
  max_tokens: 1024,
  messages: [{ role: 'user', content: 'hi' }],
};

function rejectMessage(body: unknown): string {
  const result = safeParseAnthropicMessagesRequest(body);
  if (result.success) throw new Error('expected a rejection');
  const converted = convertErrorToAnthropicError(result.error);
  expect(converted.status).toBe(400);
  expect(converted.body.type).toBe('error');
  expect(converted.body.error.type).toBe('invalid_request_error');
  return converted.body.error.message;
}

describe('safeParseAnthropicMessagesRequest', () => {
  it('accepts a minimal request and unknown fields', () => {
    expect(safeParseAnthropicMessagesRequest({ ...valid, context_management: {} }).success).toBe(
      true,
    );
  });

  it('requires max_tokens and messages as the official API does (never filled in)', () => {
    const { max_tokens: _maxTokens, ...withoutMaxTokens } = valid;
    expect(rejectMessage(withoutMaxTokens)).toBe('max_tokens: Field required');
    const { messages: _messages, ...withoutMessages } = valid;
    expect(rejectMessage(withoutMessages)).toBe('messages: Field required');
    const { model: _model, ...withoutModel } = valid;
    expect(rejectMessage(withoutModel)).toBe('model: Field required');
  });

  it('names the offending path', () => {
    expect(rejectMessage({ ...valid, max_tokens: 0 })).toMatch(/^max_tokens: /);
    expect(rejectMessage({ ...valid, messages: [] })).toMatch(/^messages: /);
    expect(rejectMessage({ ...valid, messages: [{ role: 'system', content: 'x' }] })).toMatch(
      /^messages\.0\.role: /,
    );
    expect(
      rejectMessage({ ...valid, messages: [{ role: 'user', content: [{ type: 'text' }] }] }),
    ).toMatch(/^messages\.0\.content\.0\.text: /);
    expect(rejectMessage({ ...valid, temperature: 1.5 })).toMatch(/^temperature: /);
    expect(rejectMessage({ ...valid, tool_choice: { type: 'required' } })).toMatch(
      /^tool_choice\.type: /,
    );
    expect(rejectMessage({ ...valid, stop_sequences: ['a', 1] })).toMatch(/^stop_sequences\.1: /);
    expect(rejectMessage({ ...valid, system: [{ type: 'image' }] })).toMatch(/^system\.0: /);
    expect(rejectMessage('[]')).toBe('The request body must be a JSON object.');
  });

  it('checks thinking budgets like the official API', () => {
    expect(rejectMessage({ ...valid, thinking: { type: 'enabled', budget_tokens: 512 } })).toMatch(
      /^thinking\.enabled\.budget_tokens: /,
    );
    expect(rejectMessage({ ...valid, thinking: { type: 'enabled', budget_tokens: 2048 } })).toMatch(
      /^max_tokens: `max_tokens` must be greater than `thinking.budget_tokens`/,
    );
    expect(
      safeParseAnthropicMessagesRequest({
        ...valid,
        max_tokens: 32000,
        thinking: { type: 'enabled', budget_tokens: 31999 },
      }).success,
    ).toBe(true);
  });
});

describe('safeParseAnthropicCountTokensRequest', () => {
  it('does not need max_tokens but needs messages', () => {
    const { max_tokens: _maxTokens, ...body } = valid;
    expect(safeParseAnthropicCountTokensRequest(body).success).toBe(true);
    const result = safeParseAnthropicCountTokensRequest({ model: 'm' });
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.message).toBe('messages: Field required');
  });
});
