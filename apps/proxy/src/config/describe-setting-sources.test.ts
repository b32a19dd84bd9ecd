import { describe, expect, it } from 'vitest';
import { describeSettingSources } from './describe-setting-sources';

describe('describeSettingSources', () => {
  it('groups the set settings by source, names only', () => {
    expect(
      describeSettingSources({
        PORT: 'env',
        QWEN_OAUTH_BASE_URL: '/home/me/.qwen-relay/.env',
        PROXY_API_KEYS: 'flag',
        LOG_LEVEL: 'env',
      }),
    ).toBe(
      'Settings: LOG_LEVEL, PORT from the environment; QWEN_OAUTH_BASE_URL from /home/me/.qwen-relay/.env; PROXY_API_KEYS from flags',
    );
  });

  it('says nothing when every setting has its default', () => {
    expect(describeSettingSources({})).toBeUndefined();
  });
});
