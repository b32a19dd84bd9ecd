/** The shape shared by every qwen-relay error, also after crossing a worker boundary. */
export interface QwenRelayErrorLike {
  code: string;
  message: string;
  status?: number;
  retryable?: boolean;
  retryAfterInMs?: number;
}

/** Recognises any qwen-relay error: the `Symbol.for('qwen-relay.error')` marker, or a `QWEN_RELAY_*` code. */
export function isQwenRelayError(error: unknown): error is QwenRelayErrorLike {
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as Record<string | symbol, unknown>;
  if (typeof candidate.code !== 'string' || typeof candidate.message !== 'string') return false;
  return (
    candidate[Symbol.for('qwen-relay.error')] === true || candidate.code.startsWith('QWEN_RELAY_')
  );
}
