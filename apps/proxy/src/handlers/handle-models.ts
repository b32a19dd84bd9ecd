import { listOpenAIModels } from '@qwen-relay/openai-adapter';
import { ModelNotFoundError } from '../errors/proxy-errors';
import { sendJson } from '../http/send-json';
import type { RequestScope } from '../server/proxy-context';

/** GET /v1/models: the models (and aliases) the proxy accepts. */
export function handleListModels({ scope }: { scope: RequestScope }): void {
  sendJson({ response: scope.response, status: 200, body: listOpenAIModels() });
}

/** GET /v1/models/{id}: one model, or a 404 envelope. */
export function handleRetrieveModel({
  scope,
  modelId,
}: {
  scope: RequestScope;
  modelId: string;
}): void {
  const model = listOpenAIModels().data.find((candidate) => candidate.id === modelId);
  if (model === undefined) throw new ModelNotFoundError({ modelId });
  sendJson({ response: scope.response, status: 200, body: model });
}
