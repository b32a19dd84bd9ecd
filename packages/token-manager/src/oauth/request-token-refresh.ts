import { excerptUpstreamBody, registerSecret, unregisterSecret } from '@qwen-relay/contracts';
import type { Dispatcher } from 'undici';
import { TokenRefreshError } from '../errors/token-refresh-error';
import { postForm, safeParseJsonObject } from './post-form';
import { getOAuthEndpointUrl, QWEN_OAUTH_CLIENT_ID } from './qwen-oauth-constants';
import { safeParseTokenResponse, type TokenResponse } from './token-response';

/** Longest excerpt of the token endpoint's body kept on an error. */
const UPSTREAM_BODY_EXCERPT_IN_CHARS = 300;

/** Outcome of one refresh grant call, classified for the retry policy. */
export type TokenRefreshOutcome =
  | { kind: 'success'; response: TokenResponse }
  /** the refresh token itself was refused: only a new login helps */
  | { kind: 'rejected'; upstreamStatus: number; upstreamErrorCode?: string }
  /** anything else; `error.retryable` says whether trying again may help */
  | { kind: 'failed'; error: TokenRefreshError };

/** Error codes that mean "this refresh token is dead" (qwen-code treats 400/401 the same way). */
const REJECTION_ERROR_CODES = new Set(['invalid_grant', 'invalid_request', 'unauthorized_client']);

/**
 * One refresh grant (`grant_type=refresh_token`) against `/api/v1/oauth2/token`, never
 * throwing. Transient: network errors, 5xx, 408/429, 403, HTML/WAF or invalid JSON bodies
 * (even with 200 or 400) and 200s carrying `{error}`. Rejected: 400/401 with a JSON error body,
 * or `invalid_grant` / `invalid_request` with any status.
 */
export async function requestTokenRefresh({
  refreshToken,
  oauthBaseUrl,
  dispatcher,
  signal,
  timeoutInMs,
}: {
  refreshToken: string;
  oauthBaseUrl?: string;
  dispatcher?: Dispatcher;
  signal?: AbortSignal;
  timeoutInMs?: number;
}): Promise<TokenRefreshOutcome> {
  const failed = (
    fields: ConstructorParameters<typeof TokenRefreshError>[0],
  ): TokenRefreshOutcome => ({
    kind: 'failed',
    error: new TokenRefreshError(fields),
  });
  let response: Awaited<ReturnType<typeof postForm>>;
  try {
    response = await postForm({
      url: getOAuthEndpointUrl({ ...(oauthBaseUrl ? { oauthBaseUrl } : {}), endpoint: 'token' }),
      form: {
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: QWEN_OAUTH_CLIENT_ID,
      },
      ...(dispatcher ? { dispatcher } : {}),
      ...(signal ? { signal } : {}),
      ...(timeoutInMs === undefined ? {} : { timeoutInMs }),
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    const code = (error as { code?: unknown }).code;
    const isTimeout = typeof code === 'string' && code.includes('TIMEOUT');
    return failed({
      reason: isTimeout ? 'timeout' : 'network',
      message: `Token refresh failed: ${isTimeout ? 'the token endpoint timed out' : `network error (${typeof code === 'string' ? code : 'connection failed'})`}.`,
      retryable: true,
      cause: error,
    });
  }

  const { status, text } = response;
  const body = safeParseJsonObject(text);
  // the token we sent is removed by value even when no one holds it any more (a rejected file)
  registerSecret(refreshToken);
  let upstreamBody: string;
  try {
    upstreamBody = excerptUpstreamBody({
      text: text || '(empty response body)',
      maxLengthInChars: UPSTREAM_BODY_EXCERPT_IN_CHARS,
    });
  } finally {
    unregisterSecret(refreshToken);
  }
  const errorCode = typeof body?.error === 'string' ? body.error : undefined;

  if (status >= 200 && status < 300) {
    const parsed = safeParseTokenResponse(body);
    if (parsed) return { kind: 'success', response: parsed };
    return failed({
      reason: body ? 'error-body' : 'non-json',
      message: body
        ? `Token refresh failed: HTTP ${status} without an access token${errorCode ? ` (${errorCode})` : ''}.`
        : `Token refresh failed: HTTP ${status} returned invalid JSON (${response.contentType || 'no content type'}; possibly a WAF challenge page).`,
      retryable: true,
      upstreamStatus: status,
      upstreamBody,
    });
  }
  if (errorCode && REJECTION_ERROR_CODES.has(errorCode)) {
    return { kind: 'rejected', upstreamStatus: status, upstreamErrorCode: errorCode };
  }
  if ((status === 400 || status === 401) && body) {
    return {
      kind: 'rejected',
      upstreamStatus: status,
      ...(errorCode ? { upstreamErrorCode: errorCode } : {}),
    };
  }
  const retryable = status >= 500 || status === 408 || status === 429 || status === 403 || !body;
  return failed({
    reason: status >= 500 ? 'server-error' : body ? 'http-error' : 'non-json',
    message: `Token refresh failed: HTTP ${status}${errorCode ? ` (${errorCode})` : body ? '' : ' with a non-JSON body'}.`,
    retryable,
    upstreamStatus: status,
    upstreamBody,
    ...(response.retryAfterInMs === undefined ? {} : { retryAfterInMs: response.retryAfterInMs }),
  });
}
