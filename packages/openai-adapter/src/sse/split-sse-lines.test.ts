import fc from 'fast-check';
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

// the line rules applied to the whole stream at once, each line decoded by a TextDecoder
function splitWhole(bytes: Uint8Array): string[] {
  const decoder = new TextDecoder();
  const lines: string[] = [];
  let start = 0;
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index];
    if (byte !== 10 && byte !== 13) continue;
    lines.push(decoder.decode(bytes.subarray(start, index)));
    if (byte === 13 && bytes[index + 1] === 10) index++;
    start = index + 1;
  }
  if (start < bytes.length) lines.push(decoder.decode(bytes.subarray(start)));
  return lines;
}

describe('property: the lines of the whole stream, however it is read and whatever it reads into', () => {
  it('for ASCII, multi-byte and invalid UTF-8, byte order marks and every terminator', () => {
    const text = fc.oneof(
      fc.constantFrom('data: ', 'event: x', '\n', '\r', '\r\n', '\n\n', '{"a":1}', '\ufeff', ''),
      fc.string({ unit: 'grapheme', maxLength: 6 }),
      fc.string({ unit: 'binary', maxLength: 4 }),
    );
    const invalid = fc.constantFrom(
      [0xff],
      [0xef, 0xbb],
      [0xc3],
      [0xc3, 0x28],
      [0xe2, 0x82],
      [0xf0, 0x9f, 0x98],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            { arbitrary: text.map((part) => [...encoder.encode(part)]), weight: 5 },
            { arbitrary: invalid, weight: 1 },
          ),
          { maxLength: 24 },
        ),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 12 }),
        (parts, readSizes) => {
          const whole = new Uint8Array(parts.flat());
          const cuts: Array<[number, number]> = [];
          for (let at = 0, turn = 0; at < whole.length; turn++) {
            const size = readSizes[turn % readSizes.length] ?? 1;
            cuts.push([at, at + size]);
            at += size;
          }
          const expected = splitWhole(whole);
          // a plain Uint8Array (what a worker gets) and a node Buffer (what the proxy gets)
          const viewReads = cuts.map(([from, to]) => whole.slice(from, to));
          const bufferReads = cuts.map(([from, to]) => Buffer.from(whole.subarray(from, to)));
          expect(collectLines({ reads: viewReads, maxLineBytes: 1 << 20 })).toEqual(expected);
          expect(collectLines({ reads: bufferReads, maxLineBytes: 1 << 20 })).toEqual(expected);
        },
      ),
      { numRuns: 3_000, seed: 20_261_202 },
    );
  });

  it('for reads of a kilobyte or more, whose lines are decoded at once when each byte is a character', () => {
    const text = fc.oneof(
      fc.constantFrom('data: ', 'event: x', '\n', '\r', '\r\n', '\n\n', '{"a":1}', ''),
      fc.string({ unit: 'grapheme-ascii', maxLength: 40 }),
      fc.string({ unit: 'grapheme', maxLength: 6 }),
      fc.constant(`data: ${'x'.repeat(300)}\n`),
    );
    // lone bytes a decoder replaces one by one (each still one character), and longer sequences
    const invalid = fc.constantFrom(
      [0xff],
      [0x80],
      [0xc3],
      [0xef, 0xbb],
      [0xe2, 0x82],
      [0xef, 0xbb, 0xbf],
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            { arbitrary: text.map((part) => [...encoder.encode(part)]), weight: 20 },
            { arbitrary: invalid, weight: 1 },
          ),
          { maxLength: 160 },
        ),
        fc.array(fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1024, max: 6000 })), {
          minLength: 1,
          maxLength: 6,
        }),
        (parts, readSizes) => {
          const whole = new Uint8Array(parts.flat());
          const reads: Buffer[] = [];
          for (let at = 0, turn = 0; at < whole.length; turn++) {
            const size = readSizes[turn % readSizes.length] ?? 1;
            reads.push(Buffer.from(whole.subarray(at, at + size)));
            at += size;
          }
          expect(collectLines({ reads, maxLineBytes: 1 << 20 })).toEqual(splitWhole(whole));
        },
      ),
      { numRuns: 1_500, seed: 20_261_203 },
    );
    // one read of 3 KB: ASCII, then with a lone invalid byte (still a byte a character), then with
    // a multi-byte character (decoded line by line)
    const lines = Array.from(
      { length: 40 },
      (_, index) => `data: {"n":${index},"pad":"${'p'.repeat(60)}"}`,
    );
    for (const odd of ['', '\xff', 'é✓']) {
      const bytes = Buffer.concat([
        Buffer.from(`${lines.join('\n\n')}\n`),
        odd === '\xff' ? Buffer.from([0xff, 0x0a]) : Buffer.from(`${odd}\n`),
        Buffer.from('data: tail'),
      ]);
      expect(collectLines({ reads: [bytes], maxLineBytes: 1 << 20 })).toEqual(splitWhole(bytes));
    }
  });
});
