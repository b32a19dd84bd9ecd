import { chmod, chown, readdir } from 'node:fs/promises';
import { join } from 'node:path';

const UNPRIVILEGED_ID = 65534; // nobody

async function chownTree({ dir, id }: { dir: string; id: number }): Promise<void> {
  await chown(dir, id, id);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await chownTree({ dir: path, id });
    else await chown(path, id, id);
  }
}

/**
 * Runs `action` while `dir` is really read-only for this process: mode 0500. Root ignores
 * modes, so as root the tree is handed to `nobody` and the effective uid dropped to it for the
 * duration (vitest runs each test file in its own process), then everything is restored.
 */
export async function withReadOnlyDirectory<T>({
  dir,
  action,
}: {
  dir: string;
  action: () => Promise<T>;
}): Promise<T> {
  const isRoot = process.getuid?.() === 0;
  if (isRoot) await chownTree({ dir, id: UNPRIVILEGED_ID });
  await chmod(dir, 0o500);
  if (isRoot) process.seteuid?.(UNPRIVILEGED_ID);
  try {
    return await action();
  } finally {
    if (isRoot) process.seteuid?.(0);
    await chmod(dir, 0o700);
    if (isRoot) await chownTree({ dir, id: 0 });
  }
}
