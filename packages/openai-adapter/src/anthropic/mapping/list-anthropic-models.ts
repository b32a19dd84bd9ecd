import type { OpenAIModel } from '../../mapping/list-openai-models';

/** One entry of the Anthropic-style model listing (`type: "model"`), plus the context window. */
export interface AnthropicModel {
  type: 'model';
  id: string;
  display_name: string;
  created_at: string;
  context_window: number;
}

/** The Anthropic `GET /v1/models` page (everything on one page). */
export interface AnthropicModelList {
  data: AnthropicModel[];
  has_more: false;
  first_id: string | null;
  last_id: string | null;
}

/** The OpenAI model entries in Anthropic's listing shape (what Claude Code's gateway discovery reads). */
export function convertModelsToAnthropicList(models: readonly OpenAIModel[]): AnthropicModelList {
  const data = models.map(convertModelToAnthropic);
  return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
}

/** One OpenAI model entry as an Anthropic model object. */
export function convertModelToAnthropic(model: OpenAIModel): AnthropicModel {
  return {
    type: 'model',
    id: model.id,
    display_name: model.id,
    created_at: new Date(model.created * 1000).toISOString(),
    context_window: model.context_window,
  };
}
