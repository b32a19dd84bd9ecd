import type { AccountConfig } from '@qwen-relay/proxy';
import {
  createQwenClient,
  PLAN_MODELS,
  QuotaExceededError,
  type UpstreamAccount,
  UpstreamAuthError,
  UpstreamBadRequestError,
  UpstreamRateLimitedError,
} from '@qwen-relay/qwen-client';

/** What one validating call said about a key. */
export type KeyCheckResult =
  | { outcome: 'accepted'; note?: string }
  | { outcome: 'refused'; message: string }
  | { outcome: 'unreachable'; message: string };

// cheap, non-thinking models each plan serves: a 1-token answer costs next to nothing
const CHECK_MODELS: Record<string, string> = {
  'coding-plan': 'qwen3-coder-plus',
  'token-plan': 'qwen3.6-flash',
  standard: 'qwen-flash',
};

/**
 * Makes one cheap upstream call with the key (chat, `max_tokens: 1`, thinking off, no retry)
 * through the account's endpoint and egress proxy. Any answer past authentication counts as
 * accepted (a rate limit or a model refusal still proves the key); 401/403 is refused.
 */
export async function checkKeyUpstream({
  account,
  signal,
}: {
  account: AccountConfig;
  signal?: AbortSignal;
}): Promise<KeyCheckResult> {
  if (account.type === 'qwen-oauth' || account.apiKey === undefined || !account.endpoints) {
    throw new TypeError('checkKeyUpstream needs a resolved key account');
  }
  const token = { accessToken: account.apiKey, authType: 'api-key' as const };
  const models = account.models ?? PLAN_MODELS[account.type];
  const preferred = CHECK_MODELS[account.type];
  const model = preferred !== undefined && models.includes(preferred) ? preferred : models[0];
  const upstreamAccount: UpstreamAccount = {
    accountId: account.id,
    getAccessToken: async () => token,
    invalidate: async (failed) => failed,
    profile: {
      type: account.type,
      endpoints: account.endpoints,
      ...(account.egressProxy === undefined ? {} : { egressProxyUrl: account.egressProxy }),
    },
  };
  const client = createQwenClient({
    accounts: [upstreamAccount],
    retry: { maxAttempts: 1 },
    timeouts: { connectInMs: 10_000, headersInMs: 30_000, idleInMs: 30_000, totalInMs: 45_000 },
  });
  try {
    await client.chatCompletion({
      payload: {
        model,
        messages: [{ role: 'user', content: 'ping' }],
        max_tokens: 1,
        stream: false,
        enable_thinking: false,
      },
      ...(signal === undefined ? {} : { signal }),
    });
    return { outcome: 'accepted' };
  } catch (error) {
    if (error instanceof UpstreamAuthError) return { outcome: 'refused', message: error.message };
    if (error instanceof QuotaExceededError || error instanceof UpstreamRateLimitedError) {
      return {
        outcome: 'accepted',
        note: `the key works but is limited right now: ${error.message}`,
      };
    }
    if (error instanceof UpstreamBadRequestError) {
      return {
        outcome: 'accepted',
        note: `the key works; the test request was refused: ${error.message}`,
      };
    }
    return { outcome: 'unreachable', message: (error as Error).message };
  } finally {
    await client.close({ force: true });
  }
}
