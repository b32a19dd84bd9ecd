import { describe, expect, it } from 'vitest';
import { listOpenAIModels } from '../../mapping/list-openai-models';
import { getContextWindow } from '../../mapping/model-context-windows';
import { convertModelsToAnthropicList } from './list-anthropic-models';

describe('convertModelsToAnthropicList', () => {
  it('lists the models in Anthropic shape with their context windows', () => {
    const list = convertModelsToAnthropicList(
      listOpenAIModels({
        modelAliases: { 'qwen3-coder-plus': 'qwen3-coder-plus', 'qwen3-vl-plus': 'qwen3-vl-plus' },
        embeddingModels: [],
      }).data,
    );
    expect(list).toEqual({
      data: [
        {
          type: 'model',
          id: 'qwen3-coder-plus',
          display_name: 'qwen3-coder-plus',
          created_at: '2025-08-08T20:50:06.000Z',
          context_window: 1_000_000,
        },
        expect.objectContaining({ id: 'qwen3-vl-plus', context_window: 262_144 }),
      ],
      has_more: false,
      first_id: 'qwen3-coder-plus',
      last_id: 'qwen3-vl-plus',
    });
  });
});

describe('getContextWindow', () => {
  it('knows the families and falls back to a window every model has', () => {
    expect(getContextWindow({ model: 'qwen3.7-plus' })).toBe(1_000_000);
    expect(getContextWindow({ model: 'qwen3-max-2026-01-23' })).toBe(262_144);
    expect(getContextWindow({ model: 'some-new-model' })).toBe(131_072);
  });
});
