import { MalformedUpstreamResponseError } from '../errors/malformed-upstream-response-error';

const LF = 10;
const CR = 13;
const decoder = new TextDecoder('utf-8');

/** Serialisable state of the bytes → lines layer: the partial last line and a pending CR. */
export interface LineSplitterState {
  /** bytes of a line whose terminator has not arrived yet */
  pendingLineBytes: Uint8Array | null;
  /** the previous read ended with CR: a leading LF of the next read belongs to it (CRLF split) */
  skipLeadingLf: boolean;
}

/** A line longer than the bound: the upstream is not speaking SSE (or is hostile). */
export class SseLineTooLongError extends MalformedUpstreamResponseError {
  constructor({ maxLineBytes }: { maxLineBytes: number }) {
    super({ message: `upstream SSE line exceeds ${maxLineBytes} bytes` });
  }
}

/**
 * Layer 1 of SSE (WHATWG "event stream" line rules): splits bytes into lines on CR, LF or CRLF,
 * also when the pair is split across reads, and keeps the unterminated rest in `state`. Lines
 * are decoded one by one, so a UTF-8 sequence split across reads is never cut. `onLine` returns
 * false to stop (the rest of `bytes` is then ignored). Throws SseLineTooLongError past
 * `maxLineBytes`, at the same line whatever the read boundaries were.
 */
export function splitSseLines({
  state,
  bytes,
  maxLineBytes,
  onLine,
}: {
  state: LineSplitterState;
  bytes: Uint8Array;
  maxLineBytes: number;
  onLine: (line: string) => boolean;
}): void {
  const length = bytes.length;
  if (length === 0) return;
  let start = 0;
  if (state.skipLeadingLf) {
    state.skipLeadingLf = false;
    if (bytes[0] === LF) start = 1;
  }
  // CR is rare in practice: once absent it is never searched again for this read
  let nextLf = bytes.indexOf(LF, start);
  let nextCr = bytes.indexOf(CR, start);
  // a node Buffer's lines are decoded in place (see decodeRange): asked once per read
  const inPlace = NodeBuffer?.isBuffer(bytes) === true;
  // the read's whole lines decoded at once, when that is what decoding them one by one gives
  let whole: WholeLines | null | undefined;
  while (nextLf !== -1 || nextCr !== -1) {
    const end = nextCr === -1 || (nextLf !== -1 && nextLf < nextCr) ? nextLf : nextCr;
    const pending = state.pendingLineBytes;
    checkLineLength({ lineBytes: (pending?.length ?? 0) + end - start, maxLineBytes });
    let line: string;
    if (pending === null) {
      whole ??=
        inPlace && length - start >= WHOLE_LINES_MIN_BYTES
          ? decodeWholeLines({ bytes, start, hasCr: nextCr !== -1 })
          : null;
      line =
        whole !== null && end <= whole.end
          ? whole.text.slice(start - whole.start, end - whole.start)
          : decodeRange({ bytes, start, end, inPlace });
    } else {
      // the line the previous read left unterminated: decoded whole, with its start
      state.pendingLineBytes = null;
      line = decoder.decode(concatBytes(pending, bytes.subarray(start, end)));
    }
    start = end + 1;
    if (bytes[end] === CR) {
      if (start === length) state.skipLeadingLf = true;
      else if (bytes[start] === LF) start++;
    }
    if (!onLine(line)) return;
    if (nextLf !== -1 && nextLf < start) nextLf = bytes.indexOf(LF, start);
    if (nextCr !== -1 && nextCr < start) nextCr = bytes.indexOf(CR, start);
  }
  if (start < length) {
    const rest = bytes.subarray(start);
    const pending = state.pendingLineBytes;
    checkLineLength({ lineBytes: (pending?.length ?? 0) + rest.length, maxLineBytes });
    // copy: the caller may reuse or transfer its buffer
    state.pendingLineBytes = pending ? concatBytes(pending, rest) : rest.slice();
  }
}

const BOM_FIRST_BYTE = 0xef;

/**
 * A read this long usually holds several events (an upstream that flushed a burst, or reads that
 * queued while the proxy was busy): its lines are decoded at once. A shorter one, one token's
 * event as a paced stream delivers it, is decoded line by line: for its two or three lines the
 * search for the last terminator and the slices cost more than they save (1.14–1.29× the
 * per-event time of every transform, bench/micro/stream-transforms.mjs).
 */
const WHOLE_LINES_MIN_BYTES = 1024;

/** The text of bytes [start, end) of a read, each byte one character of it. */
interface WholeLines {
  text: string;
  start: number;
  end: number;
}

/**
 * The read's bytes from `start` up to its last line terminator, decoded in one call, or null
 * when a character of the text is not exactly one byte (a multi-byte character, a byte order
 * mark, an invalid sequence longer than a byte). When each byte is one character, the text's
 * offsets are the bytes' offsets, and a line sliced from it is what decodeRange gives for the
 * line's bytes: a terminator is ASCII, so no sequence spans it, and a decoder replaces a lone
 * invalid byte with U+FFFD alone or within its line alike (the tests compare the two over random
 * bytes). For a read of a whole 8-chunk stream this took the Anthropic passthrough's transform to
 * 0.81× and the Responses passthrough's to 0.83× (bench/README.md, the seventeenth pass).
 */
function decodeWholeLines({
  bytes,
  start,
  hasCr,
}: {
  bytes: Uint8Array;
  start: number;
  /** a CR is at or after `start` (the caller's search found one): else none is searched for */
  hasCr: boolean;
}): WholeLines | null {
  const lastLf = bytes.lastIndexOf(LF);
  const end = hasCr ? Math.max(lastLf, bytes.lastIndexOf(CR)) : lastLf;
  if (end <= start) return null;
  const text = (bytes as unknown as NodeBufferBytes).toString('utf8', start, end);
  return text.length === end - start ? { text, start, end } : null;
}

/** Node's Buffer, when there is one (the adapter also runs where there is not). */
const NodeBuffer = (globalThis as { Buffer?: { isBuffer(value: unknown): boolean } }).Buffer;

/** What a node Buffer adds that decodeRange uses (documented `buf.toString(encoding, start, end)`). */
interface NodeBufferBytes {
  toString(encoding: 'utf8', start: number, end: number): string;
}

/**
 * Bytes [start, end) of a read as text, what `TextDecoder.decode` gives for them. The blank line
 * after every event is as common as the data line: no decoding at all. A read that is a node
 * Buffer (what node:http and undici hand over) decodes the range in place, without the view
 * object `subarray` would make. `Buffer#toString` replaces invalid UTF-8 as the decoder does
 * (a test compares them over random bytes); unlike the decoder it keeps a leading byte order
 * mark, so a line that may start with one takes the decoder.
 */
function decodeRange({
  bytes,
  start,
  end,
  inPlace,
}: {
  bytes: Uint8Array;
  start: number;
  end: number;
  /** `bytes` is a node Buffer */
  inPlace: boolean;
}): string {
  if (start === end) return '';
  if (inPlace && bytes[start] !== BOM_FIRST_BYTE) {
    return (bytes as unknown as NodeBufferBytes).toString('utf8', start, end);
  }
  return decoder.decode(bytes.subarray(start, end));
}

/** Emits the unterminated last line at the end of the stream, if any. */
export function flushSseLines({
  state,
  onLine,
}: {
  state: LineSplitterState;
  onLine: (line: string) => boolean;
}): void {
  const pending = state.pendingLineBytes;
  state.pendingLineBytes = null;
  state.skipLeadingLf = false;
  if (pending) onLine(decoder.decode(pending));
}

// one bound for a line, however many reads it came in: `lineBytes` counts the pending part too
function checkLineLength({
  lineBytes,
  maxLineBytes,
}: {
  lineBytes: number;
  maxLineBytes: number;
}): void {
  if (lineBytes > maxLineBytes) throw new SseLineTooLongError({ maxLineBytes });
}

function concatBytes(first: Uint8Array, second: Uint8Array): Uint8Array {
  const joined = new Uint8Array(first.length + second.length);
  joined.set(first, 0);
  joined.set(second, first.length);
  return joined;
}
