import type { EmbeddingsRequest } from '../types/chat-completion-request';
import { NO_MEMBERS } from '../validation/no-members';
import { resolveUpstreamModel } from './model-aliases';

/** How the client wants its vectors: arrays of numbers, or base64 of little-endian float32. */
export type EmbeddingsEncodingFormat = 'float' | 'base64';

/**
 * Maps a validated embeddings request to the upstream payload. Embedding models have their own
 * ids (e.g. `text-embedding-v4`), so the chat alias table does not apply; pass `modelAliases`
 * to rename embedding models. The upstream is always asked for floats (some ignore
 * `encoding_format` and send floats anyway); `encodingFormat` is the client's choice (OpenAI's
 * default: `float`), applied to the response by convertQwenEmbeddingsToOpenAI.
 */
export function convertEmbeddingsRequestToQwen({
  request,
  modelAliases = {},
}: {
  request: EmbeddingsRequest;
  modelAliases?: Readonly<Record<string, string>>;
}): {
  payload: Record<string, unknown>;
  clientModel: string;
  encodingFormat: EmbeddingsEncodingFormat;
} {
  const payload: Record<string, unknown> = {
    ...NO_MEMBERS,
    ...request,
    model: resolveUpstreamModel({ model: request.model, modelAliases }),
    encoding_format: 'float',
  };
  return {
    payload,
    clientModel: request.model,
    encodingFormat: request.encoding_format === 'base64' ? 'base64' : 'float',
  };
}
