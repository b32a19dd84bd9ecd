import { listOpenAIModels, type OpenAIModel } from '@qwen-relay/openai-adapter';
import { listServedModels } from '../accounts/list-served-models';
import { ModelNotFoundError } from '../errors/proxy-errors';
import { sendJson } from '../http/send-json';
import type { ProxyContext, RequestScope } from '../server/proxy-context';

/** An entry of GET /v1/models: the OpenAI model object plus the accounts serving it. */
type ServedOpenAIModel = OpenAIModel & { accounts: string[] };

function listModels(context: ProxyContext): ServedOpenAIModel[] {
  const served = listServedModels(context.accounts.current);
  const servers = new Map(served.map((model) => [model.id, model.accounts]));
  const identity = Object.fromEntries(served.map((model) => [model.id, model.id]));
  // embedding models are listed where an account serves them, by listServedModels
  return listOpenAIModels({ modelAliases: identity, embeddingModels: [] }).data.map((model) => ({
    ...model,
    accounts: servers.get(model.id) ?? [],
  }));
}

/** GET /v1/models: every model some account serves, each with the ids of those accounts. */
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
    body: { object: 'list', data: listModels(context) },
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
  const model = listModels(context).find((candidate) => candidate.id === modelId);
  if (model === undefined) throw new ModelNotFoundError({ modelId });
  sendJson({ response: scope.response, status: 200, body: model });
}
