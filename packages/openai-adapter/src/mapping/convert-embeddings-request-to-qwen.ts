import type { EmbeddingsRequest } from '../types/chat-completion-request';
import { resolveUpstreamModel } from './model-aliases';

/**
 * Maps a validated embeddings request to the upstream payload. Embedding models have their own
 * ids (e.g. `text-embedding-v4`), so the chat alias table does not apply; pass `modelAliases`
 * to rename embedding models.
 */
export function convertEmbeddingsRequestToQwen({
  request,
  modelAliases = {},
}: {
  request: EmbeddingsRequest;
  modelAliases?: Readonly<Record<string, string>>;
}): { payload: Record<string, unknown>; clientModel: string } {
  const payload: Record<string, unknown> = {
    ...request,
    model: resolveUpstreamModel({ model: request.model, modelAliases }),
  };
  return { payload, clientModel: request.model };
}
