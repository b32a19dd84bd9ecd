import { describe, expect, it } from 'vitest';
import { isThinkingOnlyModel, selectThinkingKnob } from './select-thinking-knob';

describe('selectThinkingKnob', () => {
  it.each([
    ['qwen3.8-max', 'reasoning-effort'],
    ['qwen3.8-flash', 'reasoning-effort'],
    ['qwen3.8-max-preview', 'reasoning-effort'],
    ['Qwen3.9-plus', 'reasoning-effort'],
    ['qwen3.7-plus', 'thinking-budget'],
    ['qwen3.5-plus', 'thinking-budget'],
    ['qwen3-coder-plus', 'thinking-budget'],
    ['qwen-max', 'thinking-budget'],
    ['qwen-14b', 'thinking-budget'],
    ['deepseek-r1-distill-qwen-32b', 'thinking-budget'],
    ['glm-5', 'thinking-budget'],
    ['coder-model', 'thinking-budget'],
  ] as const)('%s → %s', (model, knob) => {
    expect(selectThinkingKnob(model)).toBe(knob);
  });
});

describe('isThinkingOnlyModel', () => {
  it.each([
    ['qwen3.8-max-preview', true],
    ['qwen3-235b-a22b-thinking-2507', true],
    ['qwq-plus', true],
    ['deepseek-r1', true],
    ['qwen3.8-max', false],
    ['qwen3.6-plus', false],
    ['kimi-k2.5', false],
  ] as const)('%s → %s', (model, thinkingOnly) => {
    expect(isThinkingOnlyModel(model)).toBe(thinkingOnly);
  });
});
