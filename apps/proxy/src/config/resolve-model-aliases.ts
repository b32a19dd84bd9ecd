import { DEFAULT_MODEL_ALIASES } from '@qwen-relay/openai-adapter';

/**
 * Models DashScope and Coding Plan API keys serve under their own names (docs/qwen-upstream.md §5).
 * With an API key there are no server-side aliases such as `coder-model`, so names pass through as
 * they are; this list only feeds `GET /v1/models`.
 */
export const API_KEY_MODEL_IDS: readonly string[] = [
  'qwen3-coder-plus',
  'qwen3-coder-flash',
  'qwen3-coder-next',
  'qwen3.5-plus',
  'qwen3-max',
];

/**
 * The alias table requests are mapped with: `MODEL_ALIASES` when set, else the OAuth portal's
 * aliases (`qwen3-coder-plus` → `coder-model` …) for OAuth accounts and an identity table for API
 * keys, whose endpoints reject the portal-only alias names.
 */
export function resolveModelAliases({
  configured,
  apiKeyMode,
}: {
  configured: Readonly<Record<string, string>> | undefined;
  apiKeyMode: boolean;
}): Readonly<Record<string, string>> {
  if (configured !== undefined) return configured;
  if (!apiKeyMode) return DEFAULT_MODEL_ALIASES;
  return Object.fromEntries(API_KEY_MODEL_IDS.map((id) => [id, id]));
}

/** Parses `MODEL_ALIASES`: `none`, or comma-separated `client-name=upstream-name` pairs. */
export function parseModelAliases(value: string): Record<string, string> | undefined {
  if (value.trim().toLowerCase() === 'none') return {};
  const table: Record<string, string> = {};
  for (const pair of value.split(',')) {
    const match = /^\s*([^=\s]+)\s*=\s*([^=\s]+)\s*$/.exec(pair);
    if (match === null) return undefined;
    table[match[1] as string] = match[2] as string;
  }
  return table;
}
