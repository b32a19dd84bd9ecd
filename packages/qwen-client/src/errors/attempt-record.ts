import type { RetryReason } from '@qwen-relay/contracts';

/** One upstream attempt of a call, as kept in results and errors (never holds a token). */
export interface AttemptRecord {
  /** 1-based attempt number within the call */
  attempt: number;
  accountId: string;
  /** whether this attempt asked for an SSE stream */
  stream: boolean;
  /** HTTP status, when a response arrived */
  status?: number;
  /** error code of a failed attempt */
  code?: string;
  /** what happened next: a retry reason, 'success' or 'final' */
  outcome: RetryReason | 'success' | 'final';
  /** delay waited before the next attempt */
  delayInMs?: number;
  durationInMs: number;
}
