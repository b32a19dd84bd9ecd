import { MalformedUpstreamResponseError } from '../errors/malformed-upstream-response-error';
import type { EmbeddingsList } from '../types/chat-completion';
import { isPlainObject } from '../validation/field-checks';
import type { EmbeddingsEncodingFormat } from './convert-embeddings-request-to-qwen';
import { convertBase64ToFloats, convertFloatsToBase64 } from './convert-float32-base64';
import { convertUpstreamErrorObject } from './convert-upstream-error-object';

/**
 * Qwen embeddings JSON → OpenAI embeddings list with the client's model name, each vector in the
 * client's `encodingFormat` (default `float`): number arrays, or base64 of little-endian float32
 * as OpenAI sends it, whichever form the upstream answered in.
 */
export function convertQwenEmbeddingsToOpenAI({
  body,
  clientModel,
  encodingFormat = 'float',
}: {
  body: unknown;
  clientModel: string;
  encodingFormat?: EmbeddingsEncodingFormat;
}): EmbeddingsList {
  if (!isPlainObject(body))
    throw new MalformedUpstreamResponseError({
      message: 'upstream embeddings body is not a JSON object',
    });
  if (body.error !== undefined && body.error !== null) throw convertUpstreamErrorObject(body.error);
  if (!Array.isArray(body.data))
    throw new MalformedUpstreamResponseError({
      message: 'upstream embeddings body has no data array',
    });
  const data = body.data.map((item: unknown, position: number) => {
    const record = isPlainObject(item) ? item : {};
    const vector = readVector(record.embedding);
    if (vector === undefined) {
      throw new MalformedUpstreamResponseError({
        message: `upstream embedding ${position} has no vector`,
      });
    }
    return {
      object: 'embedding' as const,
      index: typeof record.index === 'number' ? record.index : position,
      embedding: encodingFormat === 'base64' ? convertFloatsToBase64(vector) : vector,
    };
  });
  const usage = isPlainObject(body.usage) ? body.usage : {};
  const promptTokens = typeof usage.prompt_tokens === 'number' ? usage.prompt_tokens : 0;
  return {
    object: 'list',
    data,
    model: clientModel,
    usage: {
      prompt_tokens: promptTokens,
      total_tokens: typeof usage.total_tokens === 'number' ? usage.total_tokens : promptTokens,
    },
  };
}

// floats as asked; base64 float32 from an upstream that answered in that form anyway
function readVector(embedding: unknown): number[] | undefined {
  if (typeof embedding === 'string') return convertBase64ToFloats(embedding);
  if (!Array.isArray(embedding)) return undefined;
  return embedding.every((value) => typeof value === 'number' && Number.isFinite(value))
    ? (embedding as number[])
    : undefined;
}
