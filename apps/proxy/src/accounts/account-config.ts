import type { AccountEndpoints, AccountType } from '@qwen-relay/qwen-client';

/** Subscription tiers of the plans (quota-aware scheduling reads them). */
export const ACCOUNT_TIERS = ['lite', 'pro'] as const;

/** A plan tier: `lite` or `pro`. */
export type AccountTier = (typeof ACCOUNT_TIERS)[number];

/** The quota windows an account's `limits` may state (requests per window). */
export const ACCOUNT_LIMIT_WINDOWS = ['5h', '7d', '30d'] as const;

/** Requests allowed per window, e.g. Coding Plan Lite `{ "5h": 1200, "7d": 9000, "30d": 18000 }`. */
export type AccountLimits = Partial<Record<(typeof ACCOUNT_LIMIT_WINDOWS)[number], number>>;

/** One validated account, from the accounts file or the QWEN_API_KEY shortcut. */
export interface AccountConfig {
  id: string;
  type: AccountType;
  /** where it was configured, for messages: `accounts file entry 2` or `QWEN_API_KEY` */
  origin: string;
  /** as written (`intl`, `cn-beijing`, …) */
  region?: string;
  workspace?: string;
  /** the key, resolved from `apiKey` or `apiKeyEnv` (a secret) */
  apiKey?: string;
  /** the variable the key came from, when `apiKeyEnv` was used */
  apiKeyEnv?: string;
  /** qwen-oauth: the credentials file */
  credentialsPath?: string;
  /** the `baseUrl` override as configured (endpoints hold the resolved URLs) */
  baseUrl?: string;
  /** key types: where requests go (OpenAI, Anthropic and, for standard, Responses URLs) */
  endpoints?: AccountEndpoints;
  /** models it serves, replacing the type's built-in list */
  models?: readonly string[];
  weight?: number;
  /** `http://user:pass@host:port` (a secret) */
  egressProxy?: string;
  tier?: AccountTier;
  limits?: AccountLimits;
}
