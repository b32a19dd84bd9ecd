import { QWEN_RELAY_ERROR_MARKER } from './qwen-relay-error';

/**
 * What a recognised error offers to read: the fields of the root class, typed loosely because a
 * plain object that crossed a worker boundary (or an error of a newer version) may carry more.
 */
export interface QwenRelayErrorLike {
  readonly code: string;
  readonly message: string;
  readonly status?: number;
  readonly retryable?: boolean;
  readonly retryAfterInMs?: number;
  readonly param?: string | null;
  readonly upstreamStatus?: number;
  readonly upstreamBody?: unknown;
  readonly accountId?: string;
  readonly [field: string]: unknown;
}

/**
 * Recognises any qwen-relay error: the `Symbol.for('qwen-relay.error')` marker, or a plain
 * object with a string `message` and a `code` starting with `QWEN_RELAY_` (an error that
 * crossed a worker boundary). Never `instanceof` alone: packages may be loaded twice.
 */
export function isQwenRelayError(error: unknown): error is QwenRelayErrorLike {
  if (typeof error !== 'object' || error === null) return false;
  const record = error as Record<PropertyKey, unknown>;
  if (typeof record.code !== 'string') return false;
  if (record[QWEN_RELAY_ERROR_MARKER] === true) return true;
  return record.code.startsWith('QWEN_RELAY_') && typeof record.message === 'string';
}
