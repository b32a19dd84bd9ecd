/** Shape every qwen-relay error has once recognised, whichever package (or worker) made it. */
export interface QwenRelayErrorLike {
  code: string;
  message: string;
  status?: number;
  retryAfterInMs?: number;
}

/** Recognises qwen-relay errors by marker or by a `QWEN_RELAY_` code (never by instanceof alone). */
export function isQwenRelayError(error: unknown): error is QwenRelayErrorLike {
  if (typeof error !== 'object' || error === null) return false;
  const record = error as Record<string | symbol, unknown>;
  if (record[Symbol.for('qwen-relay.error')] === true) return true;
  return typeof record.code === 'string' && record.code.startsWith('QWEN_RELAY_');
}
