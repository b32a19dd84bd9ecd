import { access, constants, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDir, type TempDir } from './create-temp-dir';
import { withReadOnlyDirectory } from './with-read-only-directory';

describe('withReadOnlyDirectory', () => {
  let temp: TempDir;
  beforeEach(async () => {
    temp = await createTempDir();
  });
  afterEach(async () => {
    await temp.remove();
  });

  it('makes the directory unwritable for the action (root included), then writable again', async () => {
    const result = await withReadOnlyDirectory({
      dir: temp.path,
      action: async () => {
        await expect(writeFile(join(temp.path, 'file'), 'x')).rejects.toMatchObject({
          code: 'EACCES',
        });
        return 'done';
      },
    });
    expect(result).toBe('done');
    await writeFile(join(temp.path, 'file'), 'x');
    await access(join(temp.path, 'file'), constants.W_OK);
  });
});
