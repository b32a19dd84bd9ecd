import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

// a .env of whatever directory the proxy starts in must not choose whose keys it serves
const NEVER_FROM_FILE = new Set(['QWEN_RELAY_ACCOUNTS']);

/**
 * Returns `env` completed with the variables of `<cwd>/.env` when that file exists.
 * Variables already set in the real environment win over the file; QWEN_RELAY_ACCOUNTS is
 * never taken from it.
 */
export function loadDotEnvFile({
  cwd,
  env,
}: {
  cwd: string;
  env: Record<string, string | undefined>;
}): Record<string, string | undefined> {
  let text: string;
  try {
    text = readFileSync(join(cwd, '.env'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ...env };
    throw error;
  }
  const fromFile = parseEnv(text) as Record<string, string>;
  for (const name of NEVER_FROM_FILE) delete fromFile[name];
  return { ...fromFile, ...env };
}
