import { describe, expect, it } from 'vitest';
import { createTokenCalibration } from './create-token-calibration';
import { estimateTextTokens } from './estimate-text-tokens';

describe('createTokenCalibration', () => {
  it('moves each model towards its observed ratio, bounded, and leaves other models alone', () => {
    const calibration = createTokenCalibration();
    expect(calibration.apply({ model: 'a', estimatedTokens: 1000 })).toBe(1000);
    calibration.observe({ model: 'a', estimatedTokens: 1000, actualTokens: 1300 });
    expect(calibration.apply({ model: 'a', estimatedTokens: 1000 })).toBe(1300);
    for (let round = 0; round < 30; round++) {
      calibration.observe({ model: 'a', estimatedTokens: 1000, actualTokens: 1100 });
    }
    expect(calibration.getFactor('a')).toBeCloseTo(1.1, 2);
    calibration.observe({ model: 'a', estimatedTokens: 1000, actualTokens: 100_000 });
    expect(calibration.getFactor('a')).toBeLessThanOrEqual(2);
    expect(calibration.getFactor('b')).toBe(1);
  });

  it('ignores tiny samples and never returns 0', () => {
    const calibration = createTokenCalibration();
    calibration.observe({ model: 'a', estimatedTokens: 10, actualTokens: 19 });
    expect(calibration.getFactor('a')).toBe(1);
    expect(calibration.apply({ model: 'a', estimatedTokens: 0 })).toBe(1);
  });

  it('wants a sample of a model until one is learnt from, then once a second has passed since', () => {
    let nowInMs = 0;
    const calibration = createTokenCalibration({ now: () => nowInMs });
    expect(calibration.wantsSample('a')).toBe(true);
    // too small to learn from: still wanted
    calibration.observe({ model: 'a', estimatedTokens: 10, actualTokens: 12 });
    expect(calibration.wantsSample('a')).toBe(true);
    calibration.observe({ model: 'a', estimatedTokens: 1000, actualTokens: 1200 });
    expect(calibration.wantsSample('a')).toBe(false);
    expect(calibration.wantsSample('b')).toBe(true);
    nowInMs = 999;
    expect(calibration.wantsSample('a')).toBe(false);
    nowInMs = 1000;
    expect(calibration.wantsSample('a')).toBe(true);
    calibration.observe({ model: 'a', estimatedTokens: 1000, actualTokens: 1000 });
    expect(calibration.wantsSample('a')).toBe(false);
    expect(calibration.getFactor('a')).toBeCloseTo(1.16, 5);
  });
});

describe('estimateTextTokens', () => {
  it('counts words, digits, punctuation, CJK and newlines', () => {
    expect(estimateTextTokens('')).toBe(0);
    expect(estimateTextTokens('Hello, world!')).toBeGreaterThanOrEqual(3);
    expect(estimateTextTokens('你好世界，这是一个测试')).toBeGreaterThanOrEqual(6);
    expect(estimateTextTokens('if (x) {\n  return 1;\n}\n')).toBeGreaterThan(
      estimateTextTokens('if (x) { return 1; }'),
    );
    // a surrogate pair is one character
    expect(estimateTextTokens('😀')).toBe(2);
  });
});
