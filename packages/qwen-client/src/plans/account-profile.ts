import type { TokenSource } from '@qwen-relay/contracts';
import type { AccountType } from './account-type';
import { ANY_MODEL } from './plan-models';
import type { AccountEndpoints } from './resolve-account-endpoints';

/** What the client needs to know about an account besides its tokens. */
export interface AccountProfile {
  readonly type: AccountType;
  /** region id (`ap-southeast-1`, …) of key-based accounts */
  readonly regionId?: string;
  /** where requests go; wins over the token's resource_url and the client's baseUrlOverride */
  readonly endpoints?: AccountEndpoints;
  /** model names it serves (`*` = any other name too); undefined = any name */
  readonly models?: readonly string[];
  /** client model name → name sent upstream, for this account only */
  readonly modelAliases?: Readonly<Record<string, string>>;
  /** `http://user:pass@host:port`: this account's traffic goes through that HTTP proxy (a secret: never logged) */
  readonly egressProxyUrl?: string;
  /** share of the rotation (default 1): an account of weight 2 gets twice the requests of weight 1 */
  readonly weight?: number;
}

/** A token source the client can route by model: any TokenSource, optionally with a profile. */
export interface UpstreamAccount extends TokenSource {
  readonly profile?: AccountProfile;
}

/** Whether the account serves `model` (accounts without a model list serve every name). */
export function servesModel({
  account,
  model,
}: {
  account: UpstreamAccount;
  model: string;
}): boolean {
  const models = account.profile?.models;
  return models === undefined || models.includes(model) || models.includes(ANY_MODEL);
}

/** The model name sent upstream for `model` on this account (its aliases applied). */
export function resolveAccountModel({
  account,
  model,
}: {
  account: UpstreamAccount;
  model: string;
}): string {
  const aliases = account.profile?.modelAliases;
  return aliases !== undefined && Object.hasOwn(aliases, model) ? (aliases[model] ?? model) : model;
}
