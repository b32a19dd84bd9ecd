import type { RetryReason } from './retry/retry-policy';
import type { UpstreamLimitKind } from './scheduling/classify-upstream-limit';

/** Events reported through the `onEvent` option; plain objects, never containing secrets. */
export type QwenClientEvent =
  | {
      type: 'attempt';
      accountId: string;
      attempt: number;
      endpoint: 'chat' | 'embeddings';
      stream: boolean;
      requestId: string;
    }
  | {
      type: 'retry';
      accountId: string;
      attempt: number;
      reason: RetryReason;
      delayInMs: number;
      status?: number;
      code?: string;
      requestId: string;
    }
  | { type: 'auth-error-detected'; accountId: string; status: number; requestId: string }
  /** `refreshed`: the token source handed back a different token */
  | { type: 'auth-retry'; accountId: string; refreshed: boolean; requestId: string }
  | { type: 'auth-retry-succeeded'; accountId: string; requestId: string }
  | {
      type: 'auth-retry-failed';
      accountId: string;
      status?: number;
      code: string;
      requestId: string;
    }
  | { type: 'account-cooldown'; accountId: string; untilInMs: number; reason: CooldownReason }
  | { type: 'account-recovered'; accountId: string; after: 'success' | 'expired' }
  | { type: 'stream-fallback'; accountId: string; requestId: string };

/** Why an account is cooling down: the limit the upstream reported, or repeated auth failures. */
export type CooldownReason = UpstreamLimitKind | 'auth';

/** Receives client events; must not throw (errors thrown by it are swallowed). */
export type QwenClientEventListener = (event: QwenClientEvent) => void;

/** Calls the listener, isolating the client from a listener that throws. */
export function emitQwenClientEvent({
  onEvent,
  event,
}: {
  onEvent: QwenClientEventListener | undefined;
  event: QwenClientEvent;
}): void {
  if (!onEvent) return;
  try {
    onEvent(event);
  } catch {
    // a broken logger must not break a request
  }
}
