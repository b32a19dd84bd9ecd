import { describe, expect, it } from 'vitest';
import { createColors, shouldUseColor } from './create-colors';

describe('shouldUseColor', () => {
  it('respects NO_COLOR even on a terminal', () => {
    expect(shouldUseColor({ env: { NO_COLOR: '1' }, isTTY: true })).toBe(false);
    expect(createColors({ env: { NO_COLOR: '1' }, isTTY: true }).red('x')).toBe('x');
  });
  it('colors a terminal and not a pipe by default', () => {
    expect(shouldUseColor({ env: {}, isTTY: true })).toBe(true);
    expect(shouldUseColor({ env: {}, isTTY: false })).toBe(false);
  });
  it('lets FORCE_COLOR color a pipe', () => {
    expect(shouldUseColor({ env: { FORCE_COLOR: '1' }, isTTY: false })).toBe(true);
    expect(createColors({ env: { FORCE_COLOR: '1' }, isTTY: false }).red('x')).not.toBe('x');
  });
});
