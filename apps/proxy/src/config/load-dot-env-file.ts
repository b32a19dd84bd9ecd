import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

/**
 * Returns `env` completed with the variables of `<cwd>/.env` when that file exists.
 * Variables already set in the real environment win over the file.
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
  return { ...fromFile, ...env };
}
