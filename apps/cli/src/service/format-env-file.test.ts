import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { formatEnvFile } from './format-env-file';

describe('formatEnvFile', () => {
  it('writes values that parse back exactly as they were', () => {
    const settings = [
      ['PORT', '9000'],
      ['PROXY_API_KEYS', 'team:k#1,ci:$HOME k2'],
      ['QWEN_DIR', "/home/o'neil/.qwen"],
      ['MODEL_ALIASES', 'a="b"'],
    ] as const;
    const text = formatEnvFile({ settings, header: ['written by a test'] });
    expect(text.startsWith('# written by a test\n')).toBe(true);
    expect(parseEnv(text)).toEqual(Object.fromEntries(settings));
  });

  it('refuses what a .env line cannot hold rather than writing something else', () => {
    expect(() => formatEnvFile({ settings: [['A', 'x\ny']], header: [] })).toThrow(/A cannot/);
    expect(() => formatEnvFile({ settings: [['B', `'"`]], header: [] })).toThrow(/B cannot/);
  });
});
