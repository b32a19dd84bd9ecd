import picocolors from 'picocolors';

/** The color functions commands use; identity functions when color is off. */
export type Colors = ReturnType<typeof picocolors.createColors>;

/**
 * Decides whether to color output (https://no-color.org: any non-empty NO_COLOR turns it off;
 * FORCE_COLOR turns it on; otherwise only on a terminal) and returns matching functions.
 */
export function createColors({ env, isTTY }: { env: NodeJS.ProcessEnv; isTTY: boolean }): Colors {
  return picocolors.createColors(shouldUseColor({ env, isTTY }));
}

/** The color decision alone, also used for the spinner. */
export function shouldUseColor({
  env,
  isTTY,
}: {
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
}): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  if (env.TERM === 'dumb') return false;
  return isTTY;
}
