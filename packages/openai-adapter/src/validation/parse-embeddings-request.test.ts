import { describe, expect, it } from 'vitest';
import { parseEmbeddingsRequest, safeParseEmbeddingsRequest } from './parse-embeddings-request';

describe('safeParseEmbeddingsRequest', () => {
  it.each<[string, unknown, string | null]>([
    ['body not an object', 'x', null],
    ['missing model', { input: 'a' }, 'model'],
    ['missing input', { model: 'text-embedding-v4' }, 'input'],
    ['empty string input', { model: 'm', input: '' }, 'input'],
    ['empty array input', { model: 'm', input: [] }, 'input'],
    ['mixed array input', { model: 'm', input: ['a', 1] }, 'input'],
    ['object input', { model: 'm', input: { text: 'a' } }, 'input'],
    [
      'unknown encoding_format',
      { model: 'm', input: 'a', encoding_format: 'hex' },
      'encoding_format',
    ],
    ['dimensions 0', { model: 'm', input: 'a', dimensions: 0 }, 'dimensions'],
    ['user a number', { model: 'm', input: 'a', user: 3 }, 'user'],
  ])('rejects %s → %s', (_name, body, param) => {
    const result = safeParseEmbeddingsRequest(body);
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.param).toBe(param);
  });

  it.each<[string, unknown]>([
    ['a string', 'hello'],
    ['strings', ['a', 'b']],
    ['token ids', [1, 2, 3]],
    ['token id arrays', [[1, 2], [3]]],
  ])('accepts %s', (_name, input) => {
    expect(
      parseEmbeddingsRequest({
        model: 'text-embedding-v4',
        input,
        encoding_format: 'float',
        dimensions: 1024,
      }),
    ).toMatchObject({ input });
  });
});
