/** Shape of any project error, also after it crossed a worker boundary as a plain object. */
export interface QwenRelayErrorLike {
  code: string;
  message: string;
  status?: number;
  retryable?: boolean;
  retryAfterInMs?: number;
  param?: string | null;
  upstreamStatus?: number;
  upstreamBody?: unknown;
  phase?: string;
  accountId?: string;
  [field: string]: unknown;
}

/** True for errors of any qwen-relay package: the `Symbol.for('qwen-relay.error')` marker or a `QWEN_RELAY_*` code. */
export function isQwenRelayError(error: unknown): error is QwenRelayErrorLike {
  if (typeof error !== 'object' || error === null) return false;
  const record = error as Record<string | symbol, unknown>;
  if (typeof record.code !== 'string') return false;
  return (
    record[Symbol.for('qwen-relay.error')] === true ||
    (record.code.startsWith('QWEN_RELAY_') && typeof record.message === 'string')
  );
}
