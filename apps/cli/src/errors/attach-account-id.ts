/**
 * Records which account an error is about (when its thrower did not), so the message can
 * suggest the right `--account` in its next step. Returns the same error, for `throw`.
 */
export function attachAccountId({
  error,
  accountId,
}: {
  error: unknown;
  accountId: string;
}): unknown {
  if (
    typeof error === 'object' &&
    error !== null &&
    (error as { accountId?: unknown }).accountId === undefined &&
    Object.isExtensible(error)
  ) {
    Object.defineProperty(error, 'accountId', {
      value: accountId,
      enumerable: true,
      configurable: true,
    });
  }
  return error;
}
