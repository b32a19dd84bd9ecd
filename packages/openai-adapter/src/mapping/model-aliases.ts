/**
 * Client model name → model id sent upstream, tuned for the Qwen OAuth portal
 * (docs/qwen-upstream.md §2.4): since ~Oct 2025 the portal serves the server-side aliases
 * `coder-model` and `vision-model`. `qwen3-coder-plus` / `qwen3-coder-flash` kept working by name
 * there, so they go upstream unchanged (a relay should not rewrite a name the upstream accepts).
 * `qwen3.5-plus` / `qwen3.6-plus` were the models behind `coder-model` but were not callable by
 * name with OAuth, so they map to it, as do the retired `qwen-coder-plus*` names.
 * API-key (DashScope / Coding Plan) setups call real model ids: pass `modelAliases: {}` there.
 * Names not in the table are sent unchanged.
 */
export const DEFAULT_MODEL_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  'coder-model': 'coder-model',
  'vision-model': 'vision-model',
  'qwen3-coder-plus': 'qwen3-coder-plus',
  'qwen3-coder-flash': 'qwen3-coder-flash',
  'qwen3.5-plus': 'coder-model',
  'qwen3.6-plus': 'coder-model',
  'qwen-coder-plus': 'coder-model',
  'qwen-coder-plus-latest': 'coder-model',
  'qwen3-coder-plus-2025-09-23': 'coder-model',
  'qwen3-vl-plus': 'vision-model',
  'qwen-vl-plus': 'vision-model',
  'qwen-vl-max': 'vision-model',
  'qwen3-vl-plus-2025-09-23': 'vision-model',
});

/**
 * Embedding models listed by `GET /v1/models` (DashScope compatible-mode `/embeddings`; the
 * OAuth portal serves none). Requests for them go upstream by name, outside the alias table.
 */
export const DEFAULT_EMBEDDING_MODELS: readonly string[] = Object.freeze([
  'text-embedding-v4',
  'text-embedding-v3',
]);

/** Maximum output tokens (`max_tokens`) per upstream model id (docs/qwen-upstream.md §2.4 limits). */
export const DEFAULT_MAX_OUTPUT_TOKENS: Readonly<Record<string, number>> = Object.freeze({
  'coder-model': 65_536,
  'vision-model': 32_768,
  'qwen3-coder-plus': 65_536,
  'qwen3-coder-flash': 65_536,
  'qwen3.5-plus': 65_536,
  'qwen3.6-plus': 65_536,
  'qwen3-vl-plus': 32_768,
});

/** The upstream model id for a client model name. */
export function resolveUpstreamModel({
  model,
  modelAliases = DEFAULT_MODEL_ALIASES,
}: {
  model: string;
  modelAliases?: Readonly<Record<string, string>> | undefined;
}): string {
  return Object.hasOwn(modelAliases, model) ? (modelAliases[model] ?? model) : model;
}

/** The output token limit of an upstream model, or undefined when unknown (then nothing is clamped). */
export function getMaxOutputTokens({
  model,
  maxOutputTokens = DEFAULT_MAX_OUTPUT_TOKENS,
}: {
  model: string;
  maxOutputTokens?: Readonly<Record<string, number>> | undefined;
}): number | undefined {
  if (Object.hasOwn(maxOutputTokens, model)) return maxOutputTokens[model];
  // vision variants share the smaller output limit
  if (/(^|-)vl(-|$)|vision/.test(model)) return 32_768;
  return undefined;
}
