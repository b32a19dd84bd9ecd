import { stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTempDir } from './create-temp-dir';

describe('createTempDir', () => {
  it('creates a fresh directory under the OS temp dir and removes it with its content', async () => {
    const first = await createTempDir({ prefix: 'qwen-relay-test-' });
    const second = await createTempDir({ prefix: 'qwen-relay-test-' });
    expect(first.path).not.toBe(second.path);
    expect(dirname(first.path)).toBe(tmpdir());
    expect(basename(first.path)).toMatch(/^qwen-relay-test-/);
    await writeFile(join(first.path, 'oauth_creds.json'), '{}');
    await first.remove();
    await second.remove();
    await expect(stat(first.path)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(stat(second.path)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
