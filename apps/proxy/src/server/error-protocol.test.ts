import { describe, expect, it } from 'vitest';
import { readErrorProtocol } from './error-protocol';

describe('readErrorProtocol', () => {
  it('answers /v1/messages and below in Anthropic shape, /v1/models too for Anthropic clients', () => {
    const read = (path: string, anthropicVersion?: string) =>
      readErrorProtocol({ path, anthropicVersion });
    expect(read('/v1/messages')).toBe('anthropic');
    expect(read('/v1/messages/count_tokens')).toBe('anthropic');
    expect(read('/v1/messages/batches')).toBe('anthropic');
    expect(read('/v1/messagesx')).toBe('openai');
    expect(read('/v1/chat/completions', '2023-06-01')).toBe('openai');
    expect(read('/v1/models')).toBe('openai');
    expect(read('/v1/models/nope', '2023-06-01')).toBe('anthropic');
  });
});
