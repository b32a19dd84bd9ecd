import { DEFAULT_EMBEDDING_MODELS, DEFAULT_MODEL_ALIASES } from './model-aliases';

// the fixed date earlier proxies use for `created` (docs/qwen-upstream.md §2.4)
const MODELS_CREATED_IN_SECONDS = 1_754_686_206;

/** One entry of `GET /v1/models`. */
export interface OpenAIModel {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

/**
 * The `GET /v1/models` list: every name of the alias table and every embedding model, sorted,
 * owned by `qwen`.
 */
export function listOpenAIModels({
  modelAliases = DEFAULT_MODEL_ALIASES,
  embeddingModels = DEFAULT_EMBEDDING_MODELS,
}: {
  modelAliases?: Readonly<Record<string, string>>;
  embeddingModels?: readonly string[];
} = {}): { object: 'list'; data: OpenAIModel[] } {
  const ids = [
    ...new Set([...Object.keys(modelAliases), ...Object.values(modelAliases), ...embeddingModels]),
  ].sort();
  return {
    object: 'list',
    data: ids.map((id) => ({
      id,
      object: 'model',
      created: MODELS_CREATED_IN_SECONDS,
      owned_by: 'qwen',
    })),
  };
}
