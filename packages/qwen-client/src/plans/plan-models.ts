import type { KeyAccountType } from './account-type';

// Coding Plan lags the public catalogue and rejects anything else with `model 'x' is not
// supported` (docs/plans-and-protocols.md §3.2 names the sources)
const CODING_PLAN_MODELS = [
  'qwen3.5-plus',
  'qwen3.6-plus',
  'qwen3.7-plus',
  'qwen3-coder-plus',
  'qwen3-coder-next',
  'qwen3-max-2026-01-23',
  'glm-5',
  'glm-4.7',
  'kimi-k2.5',
  'MiniMax-M2.5',
] as const;

const TOKEN_PLAN_MODELS = [
  'qwen3.7-plus',
  'qwen3.6-plus',
  'qwen3.7-max',
  'qwen3.8-max-preview',
  'qwen3.6-flash',
  'deepseek-v4-pro',
  'deepseek-v4-flash',
  'deepseek-v3.2',
  'kimi-k2.7-code',
  'kimi-k2.6',
  'kimi-k2.5',
  'glm-5.2',
  'glm-5.1',
  'glm-5',
  'MiniMax-M2.5',
] as const;

// pay-as-you-go serves the whole public catalogue; this is the part coding agents use, plus
// the embedding models (give an account `models` to route anything else to it)
const STANDARD_MODELS = [
  'qwen3.8-max',
  'qwen3.8-max-0902',
  'qwen3.8-flash',
  ...TOKEN_PLAN_MODELS.filter((model) => model !== 'qwen3.8-max-preview'),
  'qwen3.8-max-preview',
  'qwen3.5-plus',
  'qwen3-max',
  'qwen3-coder-plus',
  'qwen3-coder-next',
  'qwen-plus',
  'qwen-max',
  'qwen-flash',
  'kimi-k3',
  'text-embedding-v4',
  'text-embedding-v3',
] as const;

/** The built-in model list of each key-based account type (what the plan serves). */
export const PLAN_MODELS: Readonly<Record<KeyAccountType, readonly string[]>> = Object.freeze({
  'coding-plan': Object.freeze([...CODING_PLAN_MODELS]),
  'token-plan': Object.freeze([...TOKEN_PLAN_MODELS]),
  standard: Object.freeze([...new Set(STANDARD_MODELS)]),
});

/** In an account's `models`, this entry means "and any other model name". */
export const ANY_MODEL = '*';
