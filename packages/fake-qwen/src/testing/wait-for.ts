/** Options of {@link waitFor}. */
export interface WaitForOptions {
  /** fail after this long (default 10_000) */
  timeoutInMs?: number;
  /** pause between two checks (default 10) */
  intervalInMs?: number;
  /** named in the timeout error (default `condition`) */
  message?: string;
}

/**
 * Polls `condition` until it returns something other than `undefined` or `false` and resolves
 * with that value; tests wait for a condition instead of sleeping a fixed time.
 */
export async function waitFor<T>(
  condition: () => T | undefined | false | Promise<T | undefined | false>,
  { timeoutInMs = 10_000, intervalInMs = 10, message = 'condition' }: WaitForOptions = {},
): Promise<T> {
  const deadlineInMs = Date.now() + timeoutInMs;
  for (;;) {
    const value = await condition();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadlineInMs) {
      throw new Error(`Timed out after ${timeoutInMs} ms waiting for ${message}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalInMs));
  }
}
