import { describe, expect, it } from 'vitest';
import { convertReasoningEffortForModel } from './convert-reasoning-effort-for-model';

describe('convertReasoningEffortForModel', () => {
  it.each([
    ['none', { reasoning_effort: 'none' }],
    ['minimal', { reasoning_effort: 'low' }],
    ['low', { reasoning_effort: 'low' }],
    ['medium', { reasoning_effort: 'medium' }],
    ['high', { reasoning_effort: 'xhigh' }],
    ['xhigh', { reasoning_effort: 'xhigh' }],
  ] as const)('qwen3.8: %s → %o (OpenAI high is the top tier)', (effort, expected) => {
    expect(convertReasoningEffortForModel({ model: 'qwen3.8-max', effort })).toEqual(expected);
  });

  it('never turns thinking off for a thinking-only model', () => {
    expect(
      convertReasoningEffortForModel({ model: 'qwen3.8-max-preview', effort: 'none' }),
    ).toEqual({ reasoning_effort: 'low' });
    expect(convertReasoningEffortForModel({ model: 'qwq-plus', effort: 'none' })).toEqual({
      enable_thinking: true,
      thinking_budget: 1024,
    });
  });

  it('keeps enable_thinking / thinking_budget for older families', () => {
    expect(convertReasoningEffortForModel({ model: 'qwen3.6-plus', effort: 'none' })).toEqual({
      enable_thinking: false,
    });
    expect(convertReasoningEffortForModel({ model: 'qwen3.6-plus', effort: 'medium' })).toEqual({
      enable_thinking: true,
      thinking_budget: 8192,
    });
    expect(convertReasoningEffortForModel({ model: 'glm-5', effort: 'high' })).toEqual({
      enable_thinking: true,
    });
  });
});
