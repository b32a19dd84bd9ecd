import { readFile } from 'node:fs/promises';
import { writeFileAtomically } from '../fs/write-file-atomically';
import type { QwenCredentials } from '../types';

/** qwen-code's refresh path writes the keys in this order; real files in the wild look like it. */
const KNOWN_KEY_ORDER = [
  'access_token',
  'token_type',
  'refresh_token',
  'resource_url',
  'expiry_date',
] as const;

async function readExistingFields(path: string): Promise<Record<string, unknown>> {
  try {
    const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    // missing or unreadable: nothing to preserve
    return {};
  }
}

/** Orders known keys like qwen-code, then the remaining keys in their existing order. */
export function serializeCredentials(fields: Record<string, unknown>): string {
  const ordered: Record<string, unknown> = {};
  for (const key of KNOWN_KEY_ORDER) {
    if (fields[key] !== undefined) ordered[key] = fields[key];
  }
  for (const [key, value] of Object.entries(fields)) {
    if (!(key in ordered) && value !== undefined) ordered[key] = value;
  }
  return JSON.stringify(ordered, null, 2);
}

/**
 * Atomically writes credentials (temp + fsync + rename, 0600, dir 0700; through a symlink to
 * its target), keeping every field already in the file that `credentials` does not set (other
 * tools' metadata). `keepFieldsFromFile: false` skips that read when `credentials` were built
 * from the file under the lock already (the refresh path, where every moment counts).
 */
export async function writeCredentialsFile({
  path,
  credentials,
  keepFieldsFromFile = true,
}: {
  path: string;
  credentials: QwenCredentials;
  keepFieldsFromFile?: boolean;
}): Promise<void> {
  const existing = keepFieldsFromFile ? await readExistingFields(path) : {};
  await writeFileAtomically({
    path,
    content: serializeCredentials({ ...existing, ...credentials }),
  });
}
