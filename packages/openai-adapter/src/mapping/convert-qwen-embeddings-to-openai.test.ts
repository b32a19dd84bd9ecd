import { describe, expect, it } from 'vitest';
import { convertEmbeddingsRequestToQwen } from './convert-embeddings-request-to-qwen';
import { convertFloatsToBase64 } from './convert-float32-base64';
import { convertQwenEmbeddingsToOpenAI } from './convert-qwen-embeddings-to-openai';

const FLOATS = [0.5, -0.25, 1];

describe('embeddings encoding_format', () => {
  it('always asks the upstream for floats and remembers what the client wanted', () => {
    const base64 = convertEmbeddingsRequestToQwen({
      request: { model: 'text-embedding-v4', input: 'x', encoding_format: 'base64' },
    });
    expect(base64.payload.encoding_format).toBe('float');
    expect(base64.encodingFormat).toBe('base64');
    const absent = convertEmbeddingsRequestToQwen({
      request: { model: 'text-embedding-v4', input: 'x' },
    });
    expect(absent.payload.encoding_format).toBe('float');
    expect(absent.encodingFormat).toBe('float');
  });

  it('encodes float vectors as base64 float32 when asked, and passes floats otherwise', () => {
    const body = { data: [{ embedding: FLOATS, index: 0 }], usage: { prompt_tokens: 1 } };
    expect(
      convertQwenEmbeddingsToOpenAI({ body, clientModel: 'm', encodingFormat: 'base64' }).data[0]
        ?.embedding,
    ).toBe(convertFloatsToBase64(FLOATS));
    expect(convertQwenEmbeddingsToOpenAI({ body, clientModel: 'm' }).data[0]?.embedding).toEqual(
      FLOATS,
    );
  });

  it('decodes an upstream that answered base64 anyway when the client wants floats', () => {
    const body = { data: [{ embedding: convertFloatsToBase64(FLOATS) }] };
    expect(convertQwenEmbeddingsToOpenAI({ body, clientModel: 'm' }).data[0]?.embedding).toEqual(
      FLOATS,
    );
  });

  it('refuses a vector that is neither numbers nor float32 base64', () => {
    for (const embedding of [['a'], 'AAA', { x: 1 }, [Number.NaN]]) {
      expect(() =>
        convertQwenEmbeddingsToOpenAI({ body: { data: [{ embedding }] }, clientModel: 'm' }),
      ).toThrow('upstream embedding 0 has no vector');
    }
  });
});
