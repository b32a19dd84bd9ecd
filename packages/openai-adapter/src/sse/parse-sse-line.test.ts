import { describe, expect, it } from 'vitest';
import {
  dispatchSseEvent,
  parseSseLine,
  type SseEvent,
  type SseEventParserState,
} from './parse-sse-line';

function parseLines(lines: string[]): SseEvent[] {
  const state: SseEventParserState = { eventData: null, eventType: null };
  const events: SseEvent[] = [];
  for (const line of lines) {
    const event = parseSseLine({ state, line });
    if (event) events.push(event);
  }
  return events;
}

describe('parseSseLine', () => {
  it.each([
    ['one data line', ['data: {"a":1}', ''], [{ type: 'message', data: '{"a":1}' }]],
    ['no space after the colon', ['data:x', ''], [{ type: 'message', data: 'x' }]],
    ['only one leading space is stripped', ['data:  x', ''], [{ type: 'message', data: ' x' }]],
    [
      'multi-line data joined with \\n',
      ['data: a', 'data: b', 'data:', ''],
      [{ type: 'message', data: 'a\nb\n' }],
    ],
    [
      'comments are skipped',
      [': keep-alive', 'data: x', ': more', ''],
      [{ type: 'message', data: 'x' }],
    ],
    ['event field is reported', ['event: error', 'data: x', ''], [{ type: 'error', data: 'x' }]],
    [
      'id, retry and unknown fields are ignored',
      ['id: 7', 'retry: 10', 'foo: bar', 'data: x', ''],
      [{ type: 'message', data: 'x' }],
    ],
    [
      'a field without a colon is a field with an empty value',
      ['data', ''],
      [{ type: 'message', data: '' }],
    ],
    ['blank lines without data dispatch nothing', ['', 'event: x', '', ''], []],
    [
      'two events',
      ['data: 1', '', 'data: 2', ''],
      [
        { type: 'message', data: '1' },
        { type: 'message', data: '2' },
      ],
    ],
  ])('%s', (_name, lines, expected) => {
    expect(parseLines(lines)).toEqual(expected);
  });

  it('dispatchSseEvent flushes a last event and resets the state', () => {
    const state: SseEventParserState = { eventData: null, eventType: null };
    parseSseLine({ state, line: 'data: [DONE]' });
    expect(dispatchSseEvent(state)).toEqual({ type: 'message', data: '[DONE]' });
    expect(state).toEqual({ eventData: null, eventType: null });
    expect(dispatchSseEvent(state)).toBeUndefined();
  });
});
