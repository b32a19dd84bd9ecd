import {
  DEFAULT_EMBEDDING_MODELS,
  DEFAULT_MODEL_ALIASES,
  resolveUpstreamModel,
} from './model-aliases';
import { getContextWindow } from './model-context-windows';

// the fixed date earlier proxies use for `created` (docs/qwen-upstream.md §2.4)
const MODELS_CREATED_IN_SECONDS = 1_754_686_206;

/** One entry of `GET /v1/models`. */
export interface OpenAIModel {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
  /** input + output tokens the model takes (of the upstream model an alias names) */
  context_window: number;
}

/**
 * The `GET /v1/models` list: every name of the alias table and every embedding model, sorted,
 * owned by `qwen`, each with its `context_window`.
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
      context_window: getContextWindow({
        model: resolveUpstreamModel({ model: id, modelAliases }),
      }),
    })),
  };
}
