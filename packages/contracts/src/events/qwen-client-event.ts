/** Why qwen-client retries a call. */
export type RetryReason =
  /** 401/403 or an auth-looking message: invalidate the token, retry once */
  | 'auth'
  /** first 504 / `stream timeout`: maybe an expired token; invalidate, then retry with backoff */
  | 'suspected-expiry'
  | 'rate-limit'
  | 'server-error'
  | 'connection'
  | 'timeout'
  | 'bad-response'
  /** this account cannot serve the call (quota, repeated auth failure, rate limit): next account */
  | 'rotate-account'
  /** a streaming call hit `504 stream timeout` before any byte: retry as non-streaming */
  | 'stream-fallback';

/**
 * Which limit an upstream refusal reports (qwen-client classifies it). Each kind has its own
 * cooldown and metric label:
 * - `requests-per-minute`: RPM throttling (`Requests rate limit exceeded`, `You exceeded your
 *   current requests list`, `Throttling.RateQuota`); clears within a minute;
 * - `tokens-per-minute`: TPM / allocation (`Allocated quota exceeded`, `You exceeded your
 *   current quota`, `Throttling.AllocationQuota`, `insufficient_quota`);
 * - `burst`: burst protection (`Request rate increased too quickly`): back off briefly;
 * - `free-quota-exhausted`: a 403 on a standard key whose free quota ran out with "stop after
 *   free quota" on; lasts until the user changes the setting;
 * - `plan-window`: a Coding Plan window spent (`hour|week|month allocated quota exceeded`).
 * See docs/plans-and-protocols.md (rate limits and errors) for the sources.
 */
export type UpstreamLimitKind =
  | 'requests-per-minute'
  | 'tokens-per-minute'
  | 'burst'
  | 'free-quota-exhausted'
  | 'plan-window';

/** Why an account is cooling down: the limit the upstream reported, or repeated auth failures. */
export type CooldownReason = UpstreamLimitKind | 'auth';

/** Events qwen-client reports through `onEvent`; plain objects that never contain secrets. */
export type QwenClientEvent =
  | {
      type: 'attempt';
      accountId: string;
      attempt: number;
      endpoint: 'chat' | 'embeddings' | 'responses' | 'anthropic';
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
