import { listOpenAIModels } from '@qwen-relay/openai-adapter';
import { ModelNotFoundError } from '../errors/proxy-errors';
import { sendJson } from '../http/send-json';
import type { ProxyContext, RequestScope } from '../server/proxy-context';

/** GET /v1/models: the models (and aliases) the proxy accepts. */
export function handleListModels({
  context,
  scope,
}: {
  context: ProxyContext;
  scope: RequestScope;
}): void {
  sendJson({
    response: scope.response,
    status: 200,
    body: listOpenAIModels({ modelAliases: context.modelAliases }),
  });
}

/** GET /v1/models/{id}: one model, or a 404 envelope. */
export function handleRetrieveModel({
  context,
  scope,
  modelId,
}: {
  context: ProxyContext;
  scope: RequestScope;
  modelId: string;
}): void {
  const model = listOpenAIModels({ modelAliases: context.modelAliases }).data.find(
    (candidate) => candidate.id === modelId,
  );
  if (model === undefined) throw new ModelNotFoundError({ modelId });
  sendJson({ response: scope.response, status: 200, body: model });
}
