import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnvironment, type TestEnvironment } from './support/start-test-environment';

describe('embeddings through the built proxy with the official openai client', () => {
  let environment: TestEnvironment;
  beforeAll(async () => {
    // fake-qwen, like upstreams that ignore encoding_format, always answers with float arrays
    environment = await startTestEnvironment({ fakeOptions: { embeddings: true } });
  });
  afterAll(async () => {
    await environment.close();
  });

  it("decodes real vectors from the client's default call, which asks for base64", async () => {
    const input = ['the quick brown fox', 'jumps over the lazy dog'];
    // no encoding_format: openai-node asks for base64 and decodes it into floats itself
    const viaBase64 = await environment.openai.embeddings.create({
      model: 'text-embedding-v4',
      input,
    });
    const upstreamBody = environment.fake.lastRequest('/v1/embeddings')?.body as Record<
      string,
      unknown
    >;
    expect(upstreamBody.encoding_format).toBe('float');
    const viaFloat = await environment.openai.embeddings.create({
      model: 'text-embedding-v4',
      input,
      encoding_format: 'float',
    });
    expect(viaBase64.data).toHaveLength(2);
    for (const [position, item] of viaBase64.data.entries()) {
      const expected = viaFloat.data[position]?.embedding ?? [];
      expect(expected).toHaveLength(1024);
      expect(Array.from(item.embedding)).toEqual(expected.map((value) => Math.fround(value)));
    }
    // different texts embed differently: real vectors, not a constant
    expect(viaBase64.data[0]?.embedding).not.toEqual(viaBase64.data[1]?.embedding);
    expect(viaBase64.model).toBe('text-embedding-v4');
  });

  it('sends base64 text of little-endian float32 when asked explicitly', async () => {
    const explicit = await environment.openai.embeddings.create({
      model: 'text-embedding-v4',
      input: 'x',
      encoding_format: 'base64',
    });
    const text = explicit.data[0]?.embedding as unknown as string;
    expect(typeof text).toBe('string');
    const bytes = Buffer.from(text, 'base64');
    const decoded = Array.from({ length: bytes.length / 4 }, (_, index) =>
      bytes.readFloatLE(index * 4),
    );
    const floats = await environment.openai.embeddings.create({
      model: 'text-embedding-v4',
      input: 'x',
      encoding_format: 'float',
    });
    expect(decoded).toEqual((floats.data[0]?.embedding ?? []).map((value) => Math.fround(value)));
  });

  it('lists the embedding models in /v1/models', async () => {
    const ids = (await environment.openai.models.list()).data.map((model) => model.id);
    expect(ids).toContain('text-embedding-v4');
    expect(ids).toContain('coder-model');
    const model = await environment.openai.models.retrieve('text-embedding-v4');
    expect(model).toMatchObject({ id: 'text-embedding-v4', object: 'model', owned_by: 'qwen' });
  });
});
