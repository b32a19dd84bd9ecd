import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../test/support/create-temp-dir';
import {
  checkCredentialsPermissions,
  inspectCredentialsPermissions,
} from './check-credentials-permissions';

describe('checkCredentialsPermissions', () => {
  const temp = useTempDir();

  it('reports a world-readable file and a world-writable directory, each with its chmod', async () => {
    const qwenDir = join(temp.dir, '.qwen');
    await mkdir(qwenDir);
    const readable = join(qwenDir, 'oauth_creds.json');
    const fine = join(qwenDir, 'oauth_creds_work.json');
    await writeFile(readable, '{}');
    await writeFile(fine, '{}');
    await chmod(readable, 0o644);
    await chmod(fine, 0o600);
    await chmod(qwenDir, 0o777);
    const problems = await checkCredentialsPermissions({
      qwenDir,
      credentialsPaths: [readable, fine, join(qwenDir, 'missing.json')],
    });
    expect(problems).toEqual([
      expect.objectContaining({
        path: qwenDir,
        kind: 'directory',
        mode: 0o777,
        fix: `chmod 700 '${qwenDir}'`,
      }),
      expect.objectContaining({
        path: readable,
        kind: 'file',
        mode: 0o644,
        fix: `chmod 600 '${readable}'`,
      }),
    ]);
    expect(problems[1]?.problem).toContain('0644');
  });

  it('accepts 0600 files in a 0700 (or 0755) directory', async () => {
    const path = join(temp.dir, 'oauth_creds.json');
    await writeFile(path, '{}', { mode: 0o600 });
    await chmod(temp.dir, 0o755);
    expect(
      await checkCredentialsPermissions({ qwenDir: temp.dir, credentialsPaths: [path] }),
    ).toEqual([]);
  });

  it('inspects every existing path, private ones without a problem, and nothing on Windows', async () => {
    const qwenDir = join(temp.dir, '.qwen');
    await mkdir(qwenDir, { mode: 0o755 });
    await chmod(qwenDir, 0o755);
    const fine = join(qwenDir, 'oauth_creds.json');
    const readable = join(qwenDir, 'oauth_creds_work.json');
    await writeFile(fine, '{}', { mode: 0o600 });
    await writeFile(readable, '{}');
    await chmod(readable, 0o640);
    const credentialsPaths = [fine, readable, join(qwenDir, 'missing.json')];
    expect(await inspectCredentialsPermissions({ qwenDir, credentialsPaths })).toEqual([
      { path: qwenDir, kind: 'directory', mode: 0o755 },
      { path: fine, kind: 'file', mode: 0o600 },
      {
        path: readable,
        kind: 'file',
        mode: 0o640,
        problem: 'has mode 0640: other users can read the tokens in it',
        fix: `chmod 600 '${readable}'`,
      },
    ]);
    expect(
      await inspectCredentialsPermissions({ qwenDir, credentialsPaths, platform: 'win32' }),
    ).toEqual([]);
  });
});
