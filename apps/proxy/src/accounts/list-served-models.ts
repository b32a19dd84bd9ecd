import { DEFAULT_EMBEDDING_MODELS } from '@qwen-relay/openai-adapter';
import { ANY_MODEL, type UpstreamAccount } from '@qwen-relay/qwen-client';

/** One model name the proxy serves, with the ids of the accounts serving it. */
export interface ServedModel {
  id: string;
  accounts: string[];
}

/**
 * The union of every account's models, sorted by name: an account's `models` (or its plan's
 * list), and for accounts without a list (OAuth) the names of their alias table and the embedding
 * models (DEFAULT_EMBEDDING_MODELS, which such an account passes upstream by name). A client name
 * aliased onto a served model is served too.
 */
export function listServedModels(accounts: readonly UpstreamAccount[]): ServedModel[] {
  const servers = new Map<string, string[]>();
  const add = (model: string, accountId: string) => {
    const ids = servers.get(model) ?? [];
    if (!ids.includes(accountId)) ids.push(accountId);
    servers.set(model, ids);
  };
  for (const account of accounts) {
    const aliases = account.profile?.modelAliases ?? {};
    const models = account.profile?.models;
    if (models === undefined) {
      for (const [clientName, upstreamName] of Object.entries(aliases)) {
        add(clientName, account.accountId);
        add(upstreamName, account.accountId);
      }
      for (const model of DEFAULT_EMBEDDING_MODELS) add(model, account.accountId);
      continue;
    }
    const served = models.filter((model) => model !== ANY_MODEL);
    for (const model of served) add(model, account.accountId);
    for (const [clientName, upstreamName] of Object.entries(aliases)) {
      if (served.includes(upstreamName)) add(clientName, account.accountId);
    }
  }
  return [...servers.entries()]
    .sort(([left], [right]) => left.localeCompare(right))
    .map(([id, ids]) => ({ id, accounts: ids }));
}
