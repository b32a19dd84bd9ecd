import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getCredentialsPath, getLockPath, resolveQwenDir } from './qwen-paths';

describe('qwen paths', () => {
  it('resolves QWEN_DIR, expanding ~, else ~/.qwen', () => {
    expect(resolveQwenDir({ QWEN_DIR: '/srv/qwen' })).toBe('/srv/qwen');
    expect(resolveQwenDir({ QWEN_DIR: '~/elsewhere' })).toBe(join(homedir(), 'elsewhere'));
    expect(resolveQwenDir({})).toBe(join(homedir(), '.qwen'));
    expect(resolveQwenDir({ QWEN_DIR: '  ' })).toBe(join(homedir(), '.qwen'));
  });

  it('maps accounts to qwen-code file names', () => {
    expect(getCredentialsPath({ qwenDir: '/q', accountId: 'default' })).toBe('/q/oauth_creds.json');
    expect(getCredentialsPath({ qwenDir: '/q', accountId: 'work' })).toBe(
      '/q/oauth_creds_work.json',
    );
  });

  it('refuses account names that could escape the directory', () => {
    for (const accountId of ['../x', 'a/b', '', '.hidden', 'x'.repeat(65)]) {
      expect(() => getCredentialsPath({ qwenDir: '/q', accountId })).toThrow(
        /Invalid account name/,
      );
    }
  });

  it('puts the lock beside the file like qwen-code', () => {
    expect(getLockPath({ credentialsPath: '/q/oauth_creds.json' })).toBe('/q/oauth_creds.lock');
    expect(getLockPath({ credentialsPath: '/q/oauth_creds_work.json' })).toBe(
      '/q/oauth_creds_work.lock',
    );
  });
});
