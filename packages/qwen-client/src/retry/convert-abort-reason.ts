import { QwenClientError } from '../errors/qwen-client-error';
import { AbortedError } from '../errors/upstream-errors';

/** The signal's reason when it is one of ours (aborted, total timeout), else an AbortedError. */
export function convertAbortReason(signal: AbortSignal): QwenClientError {
  const reason: unknown = signal.reason;
  return reason instanceof QwenClientError ? reason : new AbortedError({ cause: reason });
}
