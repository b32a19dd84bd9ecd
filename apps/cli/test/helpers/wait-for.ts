/** Polls `condition` until it returns a value other than undefined/false, or fails after `timeoutInMs`. */
export async function waitFor<T>(
  condition: () => T | undefined | false | Promise<T | undefined | false>,
  {
    timeoutInMs = 10_000,
    description = 'condition',
  }: { timeoutInMs?: number; description?: string } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutInMs;
  for (;;) {
    const value = await condition();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
