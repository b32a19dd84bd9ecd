import { StateStoreError } from '../errors/state-store-error';

/** Rejects what no backend could store faithfully: empty keys, fractional increments, bad TTLs. */
export function validateStateArguments({
  key,
  by,
  ttlInMs,
}: {
  key: string;
  by?: number;
  ttlInMs?: number | undefined;
}): void {
  const fail = (message: string): never => {
    throw new StateStoreError({ code: 'QWEN_RELAY_STATE_STORE_INVALID_ARGUMENT', message });
  };
  if (typeof key !== 'string' || key.length === 0) fail('state key must be a non-empty string');
  if (by !== undefined && !Number.isSafeInteger(by)) {
    fail(`increment of "${key}" must be a whole number, got ${by}`);
  }
  if (ttlInMs !== undefined && (!Number.isSafeInteger(ttlInMs) || ttlInMs <= 0)) {
    fail(`ttl of "${key}" must be a positive whole number of ms, got ${ttlInMs}`);
  }
}
