import { describe, expect, it } from 'vitest';
import {
  flushSseLines,
  type LineSplitterState,
  SseLineTooLongError,
  splitSseLines,
} from './split-sse-lines';

const encoder = new TextEncoder();

function collectLines({
  reads,
  maxLineBytes = 1024,
}: {
  reads: Array<string | Uint8Array>;
  maxLineBytes?: number;
}): string[] {
  const state: LineSplitterState = { pendingLineBytes: null, skipLeadingLf: false };
  const lines: string[] = [];
  const onLine = (line: string): boolean => {
    lines.push(line);
    return true;
  };
  for (const read of reads) {
    splitSseLines({
      state,
      bytes: typeof read === 'string' ? encoder.encode(read) : read,
      maxLineBytes,
      onLine,
    });
  }
  flushSseLines({ state, onLine });
  return lines;
}

describe('splitSseLines', () => {
  it.each([
    ['LF', ['a\nb\n'], ['a', 'b']],
    ['CR', ['a\rb\r'], ['a', 'b']],
    ['CRLF', ['a\r\nb\r\n'], ['a', 'b']],
    ['CRLF split across reads', ['a\r', '\nb\r', '\n'], ['a', 'b']],
    ['CR then a blank LF line in the next read is one terminator', ['a\r', '\n\n'], ['a', '']],
    ['CR CR is two lines', ['a\r\rb\n'], ['a', '', 'b']],
    ['LF CR is two terminators', ['a\n\rb\n'], ['a', '', 'b']],
    ['mixed terminators', ['a\nb\rc\r\nd'], ['a', 'b', 'c', 'd']],
    ['line split over many reads', ['da', 'ta: x', 'yz', '\n'], ['data: xyz']],
    ['empty reads change nothing', ['a\r', '', '\nb\n'], ['a', 'b']],
    ['unterminated last line is flushed', ['a\nrest'], ['a', 'rest']],
  ])('%s', (_name, reads, expected) => {
    expect(collectLines({ reads })).toEqual(expected);
  });

  it('never cuts a UTF-8 sequence split across reads', () => {
    const bytes = encoder.encode('日本✓\n');
    const reads = Array.from(bytes, (byte) => new Uint8Array([byte]));
    expect(collectLines({ reads })).toEqual(['日本✓']);
  });

  it('throws SseLineTooLongError for a line over the bound, complete or pending', () => {
    expect(() => collectLines({ reads: [`${'x'.repeat(20)}\n`], maxLineBytes: 10 })).toThrow(
      SseLineTooLongError,
    );
    expect(() => collectLines({ reads: ['x'.repeat(6), 'x'.repeat(6)], maxLineBytes: 10 })).toThrow(
      'upstream SSE line exceeds 10 bytes',
    );
    expect(collectLines({ reads: [`${'x'.repeat(10)}\n`], maxLineBytes: 10 })).toEqual([
      'x'.repeat(10),
    ]);
  });

  it('copies the pending rest so the caller may reuse its buffer', () => {
    const state: LineSplitterState = { pendingLineBytes: null, skipLeadingLf: false };
    const buffer = encoder.encode('abc');
    splitSseLines({ state, bytes: buffer, maxLineBytes: 100, onLine: () => true });
    buffer.fill(0);
    expect(new TextDecoder().decode(state.pendingLineBytes ?? new Uint8Array())).toBe('abc');
  });

  it('stops when onLine returns false and keeps nothing of the rest', () => {
    const state: LineSplitterState = { pendingLineBytes: null, skipLeadingLf: false };
    const lines: string[] = [];
    splitSseLines({
      state,
      bytes: encoder.encode('a\nb\nc'),
      maxLineBytes: 100,
      onLine: (line) => {
        lines.push(line);
        return false;
      },
    });
    expect(lines).toEqual(['a']);
    expect(state.pendingLineBytes).toBeNull();
  });
});
