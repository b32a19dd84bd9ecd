import { describe, expect, it } from 'vitest';
import { findClosestModels } from './find-closest-models';

describe('findClosestModels', () => {
  it('suggests the nearest served names, best first', () => {
    const candidates = ['glm-4.7', 'glm-5', 'qwen3.8-max', 'qwen3-coder-plus', 'kimi-k2.5'];
    expect(findClosestModels({ model: 'glm-4.8', candidates })).toEqual([
      'glm-4.7',
      'glm-5',
      'kimi-k2.5',
    ]);
    expect(findClosestModels({ model: 'Qwen3.8-MAX', candidates, limit: 1 })).toEqual([
      'qwen3.8-max',
    ]);
    expect(findClosestModels({ model: 'x', candidates: [] })).toEqual([]);
  });
});
