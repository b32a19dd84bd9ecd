import { UpstreamBadResponseError } from '../errors/upstream-bad-response-error';
import type { EmbeddingsList } from '../types/chat-completion';
import { isPlainObject } from '../validation/field-checks';
import { convertUpstreamErrorObject } from './convert-upstream-error-object';

/** Qwen embeddings JSON → OpenAI embeddings list with the client's model name. */
export function convertQwenEmbeddingsToOpenAI({
  body,
  clientModel,
}: {
  body: unknown;
  clientModel: string;
}): EmbeddingsList {
  if (!isPlainObject(body))
    throw new UpstreamBadResponseError({
      message: 'upstream embeddings body is not a JSON object',
    });
  if (body.error !== undefined && body.error !== null) throw convertUpstreamErrorObject(body.error);
  if (!Array.isArray(body.data))
    throw new UpstreamBadResponseError({ message: 'upstream embeddings body has no data array' });
  const data = body.data.map((item: unknown, position: number) => {
    const record = isPlainObject(item) ? item : {};
    const { embedding } = record;
    if (!(typeof embedding === 'string' || Array.isArray(embedding))) {
      throw new UpstreamBadResponseError({
        message: `upstream embedding ${position} has no vector`,
      });
    }
    return {
      object: 'embedding' as const,
      index: typeof record.index === 'number' ? record.index : position,
      embedding: embedding as number[] | string,
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
