import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ANTHROPIC_MESSAGE_STOP_EVENT,
  ANTHROPIC_PING_EVENT,
  formatAnthropicEvent,
  formatBlockDeltaEvent,
  formatBlockStopEvent,
} from './format-anthropic-event';

const TEXTS = [
  '',
  'Hello',
  ' "quoted" and \\ back\\slash',
  'line\nbreak\ttab\r\u0000\u001f\u007f',
  'Ünïcödé ✓ — 日本語も。 😀',
  'lone \ud800 and \udfff surrogates',
  '</script><!-- -->',
];

describe('formatAnthropicEvent fast forms', () => {
  it('are byte for byte what formatAnthropicEvent gives for the same object', () => {
    expect(ANTHROPIC_PING_EVENT).toBe(formatAnthropicEvent({ type: 'ping' }));
    expect(ANTHROPIC_MESSAGE_STOP_EVENT).toBe(formatAnthropicEvent({ type: 'message_stop' }));
    for (const index of [0, 1, 17, 1_000_000]) {
      expect(formatBlockStopEvent(index)).toBe(
        formatAnthropicEvent({ type: 'content_block_stop', index }),
      );
      for (const text of TEXTS) {
        expect(formatBlockDeltaEvent({ index, kind: 'text', text })).toBe(
          formatAnthropicEvent({
            type: 'content_block_delta',
            index,
            delta: { type: 'text_delta', text },
          }),
        );
        expect(formatBlockDeltaEvent({ index, kind: 'thinking', text })).toBe(
          formatAnthropicEvent({
            type: 'content_block_delta',
            index,
            delta: { type: 'thinking_delta', thinking: text },
          }),
        );
      }
    }
  });

  it('agree with formatAnthropicEvent for any text and index (property)', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.string({ unit: 'binary' }),
        fc.constantFrom('text' as const, 'thinking' as const),
        (index, text, kind) => {
          const delta =
            kind === 'text'
              ? { type: 'text_delta', text }
              : { type: 'thinking_delta', thinking: text };
          expect(formatBlockDeltaEvent({ index, kind, text })).toBe(
            formatAnthropicEvent({ type: 'content_block_delta', index, delta }),
          );
        },
      ),
    );
  });
});
