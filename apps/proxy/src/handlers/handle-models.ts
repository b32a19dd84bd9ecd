import type { IncomingMessage } from 'node:http';
import {
  convertModelsToAnthropicList,
  convertModelToAnthropic,
  listOpenAIModels,
  type OpenAIModel,
} from '@qwen-relay/openai-adapter';
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

// embedding models mean nothing to a Messages client (Claude Code would offer them as chat models)
function isEmbeddingModel(modelId: string): boolean {
  return /(^|-)embedding(-|$)/.test(modelId);
}

/** Anthropic clients (Claude Code's gateway model discovery) send `anthropic-version`; they get Anthropic's shape. */
export function isAnthropicClient(request: IncomingMessage): boolean {
  return typeof request.headers['anthropic-version'] === 'string';
}

/**
 * GET /v1/models: every model some account serves, each with the ids of those accounts and its
 * context window (in Anthropic's listing shape, without the embedding models, for Anthropic
 * clients).
 */
export function handleListModels({
  context,
  scope,
}: {
  context: ProxyContext;
  scope: RequestScope;
}): void {
  const models = listModels(context);
  sendJson({
    response: scope.response,
    status: 200,
    body: isAnthropicClient(scope.request)
      ? convertModelsToAnthropicList(models.filter((model) => !isEmbeddingModel(model.id)))
      : { object: 'list', data: models },
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
  sendJson({
    response: scope.response,
    status: 200,
    body: isAnthropicClient(scope.request) ? convertModelToAnthropic(model) : model,
  });
}
