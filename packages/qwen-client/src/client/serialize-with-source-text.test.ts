import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeWithSourceText, serializeWithSourceText } from './serialize-with-source-text';

/** A small generator, so one integer drives every choice of `derive`. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 4_294_967_296;
  };
}

/**
 * A value made from `source` the way a request mapping makes one: most objects kept as they
 * are (the very object), some copied with members replaced, dropped or added, arrays mapped,
 * and primitives changed.
 */
function derive(source: unknown, random: () => number): unknown {
  const roll = random();
  if (roll < 0.35) return source;
  if (Array.isArray(source)) {
    const mapped = source.map((element) => derive(element, random));
    if (random() < 0.2) mapped.pop();
    if (random() < 0.2) mapped.push({ added: random() });
    // written as null in an array, as JSON.stringify does
    if (random() < 0.1) mapped.push(undefined);
    return mapped;
  }
  if (typeof source === 'object' && source !== null) {
    const copy: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(source)) {
      const choice = random();
      if (choice < 0.1) continue;
      const derived = choice < 0.15 ? undefined : derive(value, random);
      Object.defineProperty(copy, key, {
        value: derived,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    if (random() < 0.3) copy.stream_options = { include_usage: true };
    return copy;
  }
  return roll < 0.5
    ? source
    : ['changed', 'chängé ✓ 😀', Number.POSITIVE_INFINITY, -0, null, 0.5][Math.floor(random() * 6)];
}

const formatting = fc.constantFrom<string | number | undefined>(undefined, 0, 1, 2, '\t');
// whitespace that takes a text past the length below which the value is serialised whole
const LONG_PADDING = ' '.repeat(1024);

/**
 * A client's text (ASCII, or with any character, lone surrogates included; any formatting; long
 * enough to be scanned), what it parses to with its bytes, and a value derived from that.
 */
const derivedFromSource = fc
  .record({
    parsed: fc.oneof(fc.jsonValue(), fc.jsonValue({ stringUnit: 'binary' })),
    indent: formatting,
    seed: fc.integer(),
    before: fc.constantFrom('', LONG_PADDING, `\n\t${LONG_PADDING}`),
    after: fc.constantFrom(LONG_PADDING, `\n${LONG_PADDING}`),
  })
  .map(({ parsed, indent, seed, before, after }) => {
    const text = `${before}${JSON.stringify(parsed, null, indent)}${after}`;
    const payload = JSON.parse(text) as Record<string, unknown>;
    return {
      source: { payload, text, bytes: Buffer.from(text) },
      value: derive(payload, createRandom(seed)),
    };
  });

describe('serializeWithSourceText', () => {
  it('parses to what JSON.stringify gives, for any value derived from the source', () => {
    fc.assert(
      fc.property(derivedFromSource, ({ source, value }) => {
        const serialized = serializeWithSourceText(value, source);
        const expected = JSON.stringify(value) ?? 'null';
        expect(JSON.parse(serialized)).toEqual(JSON.parse(expected));
        // member order too, which toEqual does not compare
        expect(JSON.stringify(JSON.parse(serialized))).toBe(JSON.stringify(JSON.parse(expected)));
      }),
      { numRuns: 2000 },
    );
  });

  it("copies the objects the value shares with the source from the client's text", () => {
    // the client's spacing inside the messages shows they were copied, not serialised
    const text = `{ "model" : "a",\n "messages": [ {"role": "user", "content":"hi \\"there\\""} ],"n":1e2}${LONG_PADDING}`;
    const source = JSON.parse(text) as { model: string; messages: unknown[]; n: number };
    expect(serializeWithSourceText(source, { payload: source, text })).toBe(text);
    const mapped = { model: 'b', messages: source.messages.map((message) => message), n: source.n };
    expect(serializeWithSourceText(mapped, { payload: source, text })).toBe(
      '{"model":"b","messages":[{"role": "user", "content":"hi \\"there\\""}],"n":100}',
    );
  });

  it('writes members as JSON.stringify does: undefined left out, numbers normalised', () => {
    const text = `{"a":{"x":[1, 2]},"b":1E400,"c":-0,"d":"\\u0041"}${LONG_PADDING}`;
    const source = JSON.parse(text) as Record<string, unknown>;
    const value = { ...source, e: undefined, f: () => 1 };
    expect(serializeWithSourceText(value, { payload: source, text })).toBe(
      '{"a":{"x":[1, 2]},"b":null,"c":0,"d":"A"}',
    );
  });

  it('takes a repeated member name at its last value, as JSON.parse does', () => {
    const text = `{"tools":[{"name":"first"}],"messages":[],"tools":[{"name": "last"}]}${LONG_PADDING}`;
    const source = JSON.parse(text) as Record<string, unknown>;
    const value = { ...source, stream: true };
    expect(serializeWithSourceText(value, { payload: source, text })).toBe(
      '{"tools":[{"name": "last"}],"messages":[],"stream":true}',
    );
  });

  it('serialises the value whole when the text cannot be scanned', () => {
    const source = { messages: [{ role: 'user' }] };
    const value = { ...source, stream: true };
    const text = `{"messages":[{"role${LONG_PADDING}`;
    expect(serializeWithSourceText(value, { payload: source, text })).toBe(JSON.stringify(value));
  });

  it('serialises the value whole when the text is short (quicker than scanning it)', () => {
    const text = '{"messages": [ {"role": "user"} ]}';
    const source = JSON.parse(text) as Record<string, unknown>;
    const value = { ...source, stream: true };
    expect(serializeWithSourceText(value, { payload: source, text })).toBe(JSON.stringify(value));
    expect(serializeWithSourceText(source, { payload: source, text })).toBe(text);
  });
});

describe('encodeWithSourceText', () => {
  const asBytes = (encoded: string | Uint8Array) =>
    typeof encoded === 'string' ? Buffer.from(encoded) : Buffer.from(encoded);

  it('gives the bytes of what serializeWithSourceText gives, copying ASCII bytes', () => {
    fc.assert(
      fc.property(derivedFromSource, ({ source, value }) => {
        const encoded = encodeWithSourceText(value, source);
        expect(asBytes(encoded).equals(Buffer.from(serializeWithSourceText(value, source)))).toBe(
          true,
        );
        // copied bytes when the client's are all ASCII, else text to encode
        const ascii = source.bytes.length === source.text.length;
        if (value !== source.payload) expect(typeof encoded === 'string').toBe(!ascii);
      }),
      { numRuns: 1000 },
    );
  });

  it("sends the client's own bytes for the payload itself, unless they are not valid UTF-8", () => {
    const text = `{"model":"qwen3.5-plus","input":"héllo ✓ 😀"}${LONG_PADDING}`;
    const bytes = Buffer.from(text);
    const payload = JSON.parse(text) as Record<string, unknown>;
    expect(encodeWithSourceText(payload, { payload, text, bytes })).toBe(bytes);
    // a byte that is not UTF-8 was read as U+FFFD: the text goes, not the byte
    const invalid = Buffer.concat([
      Buffer.from('{"input":"'),
      Buffer.from([0xff]),
      Buffer.from('"}'),
    ]);
    const decoded = invalid.toString('utf8');
    const parsed = JSON.parse(decoded) as Record<string, unknown>;
    expect(encodeWithSourceText(parsed, { payload: parsed, text: decoded, bytes: invalid })).toBe(
      decoded,
    );
  });

  it('copies the shared parts of an ASCII request byte for byte', () => {
    const text = `{"model":"a","messages":[ {"role": "user"} ]}${LONG_PADDING}`;
    const payload = JSON.parse(text) as { model: string; messages: unknown[] };
    const mapped = {
      model: 'b',
      messages: payload.messages.map((message) => message),
      stream: true,
    };
    const encoded = encodeWithSourceText(mapped, { payload, text, bytes: Buffer.from(text) });
    expect(Buffer.isBuffer(encoded)).toBe(true);
    expect(encoded.toString()).toBe('{"model":"b","messages":[{"role": "user"}],"stream":true}');
  });
});
