import { chmod, mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { withReadOnlyDirectory } from '@qwen-relay/fake-qwen/testing';
import { parseProxyConfig, startProxy } from '@qwen-relay/proxy';
import { describe, expect, it } from 'vitest';
import { runInProcess } from './helpers/create-test-io';
import { useFakeQwenEnvironment } from './helpers/use-fake-qwen-environment';

describe('auth status next to a running proxy', () => {
  const setup = useFakeQwenEnvironment();

  const status = (args: string[]) =>
    runInProcess({
      args: ['auth', 'status', ...args],
      env: { QWEN_DIR: setup.dir, QWEN_OAUTH_BASE_URL: setup.fake.url },
    });

  it('shows `unsaved` (exit 6, text and --json) while the proxy holds credentials it could not write', async () => {
    // the credentials live on a "shared mount" that is read-only; the lock stays creatable
    const shared = join(setup.dir, 'shared');
    await mkdir(shared);
    await setup.fake.writeCredentialsFile({ dir: shared, expiresInSeconds: -60 });
    await symlink('shared/oauth_creds.json', join(setup.dir, 'oauth_creds.json'));
    await chmod(setup.dir, 0o777);
    const proxy = await startProxy({
      ...parseProxyConfig({
        env: {
          PORT: '0',
          QWEN_DIR: setup.dir,
          QWEN_OAUTH_BASE_URL: setup.fake.url,
          LOG_LEVEL: 'silent',
        },
      }),
      writeLogLine: () => undefined,
    });
    try {
      // nothing unsaved yet: the file is what counts
      expect((await status(['--proxy-url', proxy.url])).stdout).toMatch(/^✗ default {2}expired$/m);

      await withReadOnlyDirectory({
        dir: shared,
        action: async () => {
          const chat = await fetch(`${proxy.url}/v1/chat/completions`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              model: 'coder-model',
              messages: [{ role: 'user', content: 'hi' }],
            }),
          });
          expect(chat.status).toBe(200);

          const text = await status(['--proxy-url', proxy.url]);
          expect(text.code).toBe(6);
          expect(text.stdout).toMatch(/^✗ default {2}unsaved \(only in the proxy’s memory\)$/m);
          expect(text.stdout).toContain('EACCES');
          expect(text.stdout).toContain(join(setup.dir, 'oauth_creds.json'));

          const json = await status(['--proxy-url', proxy.url, '--json']);
          expect(json.code).toBe(6);
          const parsed = JSON.parse(json.stdout) as {
            usable: boolean;
            accounts: Array<Record<string, unknown>>;
          };
          expect(parsed.accounts[0]).toMatchObject({
            state: 'unsaved',
            usable: true,
            unsaved: { proxyUrl: proxy.url, errnoCode: 'EACCES', attempts: expect.any(Number) },
          });
        },
      });
    } finally {
      await proxy.close();
    }
  });

  it('says nothing more when no proxy answers', async () => {
    await setup.fake.writeCredentialsFile({ dir: setup.dir });
    const result = await status(['--proxy-url', 'http://127.0.0.1:9']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^✓ default {2}valid$/m);
  });
});
