import type { Dispatcher } from 'undici';
import { DeviceFlowError } from '../errors/device-flow-error';
import { sleep as defaultSleep } from '../retry/sleep';
import { mergeTokenResponse } from '../token/merge-token-response';
import type { QwenCredentials } from '../types';
import { postForm, safeParseJsonObject } from './post-form';
import {
  DEVICE_CODE_GRANT_TYPE,
  getOAuthEndpointUrl,
  QWEN_OAUTH_CLIENT_ID,
} from './qwen-oauth-constants';
import { safeParseTokenResponse } from './token-response';

/** What one poll of the token endpoint decided. */
type PollVerdict =
  | { kind: 'credentials'; credentials: QwenCredentials }
  | { kind: 'pending' }
  | { kind: 'slow_down' }
  | { kind: 'transient' };

/** What one poll needs to know. */
interface PollRequest {
  deviceCode: string;
  codeVerifier: string;
  oauthBaseUrl?: string | undefined;
  dispatcher?: Dispatcher | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * Polls the token endpoint with the device_code grant (RFC 8628 §3.4–3.5) until the user
 * decides. Starts at 2 s; `slow_down` (400 or 429) multiplies the interval by 1.5 up to 10 s;
 * `authorization_pending` keeps it; `expired_token` / 401 / the `expires_in` deadline end with
 * EXPIRED, `access_denied` with DENIED. Transient failures (network, 5xx, non-JSON) keep
 * polling until the deadline. The abort signal also cuts the wait between polls.
 */
export async function pollDeviceToken({
  expiresAtInMs,
  onPoll,
  now = Date.now,
  sleep = defaultSleep,
  initialPollIntervalInMs = 2_000,
  maxPollIntervalInMs = 10_000,
  ...request
}: PollRequest & {
  expiresAtInMs: number;
  onPoll?:
    | ((info: { attempt: number; intervalInMs: number; state: 'pending' | 'slow_down' }) => void)
    | undefined;
  now?: () => number;
  sleep?: (delayInMs: number, signal?: AbortSignal) => Promise<void>;
  initialPollIntervalInMs?: number;
  maxPollIntervalInMs?: number;
}): Promise<QwenCredentials> {
  let intervalInMs = initialPollIntervalInMs;
  const { signal } = request;
  for (let attempt = 1; ; attempt += 1) {
    signal?.throwIfAborted();
    if (now() >= expiresAtInMs) {
      throw new DeviceFlowError({
        failure: 'EXPIRED',
        message:
          'Device authorization expired before it was approved; start `qwen-relay auth login` again.',
      });
    }
    const verdict = await pollOnce({ ...request, now });
    if (verdict.kind === 'credentials') return verdict.credentials;
    if (verdict.kind === 'slow_down') {
      intervalInMs = Math.min(intervalInMs * 1.5, maxPollIntervalInMs);
      onPoll?.({ attempt, intervalInMs, state: 'slow_down' });
    } else if (verdict.kind === 'pending') {
      onPoll?.({ attempt, intervalInMs, state: 'pending' });
    }
    // never sleep past the deadline: the last check above reports EXPIRED promptly
    await sleep(Math.max(0, Math.min(intervalInMs, expiresAtInMs - now())), signal);
  }
}

async function pollOnce({
  deviceCode,
  codeVerifier,
  oauthBaseUrl,
  dispatcher,
  signal,
  now,
}: PollRequest & { now: () => number }): Promise<PollVerdict> {
  let response: Awaited<ReturnType<typeof postForm>>;
  try {
    response = await postForm({
      url: getOAuthEndpointUrl({ ...(oauthBaseUrl ? { oauthBaseUrl } : {}), endpoint: 'token' }),
      form: {
        grant_type: DEVICE_CODE_GRANT_TYPE,
        client_id: QWEN_OAUTH_CLIENT_ID,
        device_code: deviceCode,
        code_verifier: codeVerifier,
      },
      ...(dispatcher ? { dispatcher } : {}),
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    return { kind: 'transient' };
  }
  const body = safeParseJsonObject(response.text);
  const tokenResponse = response.status === 200 ? safeParseTokenResponse(body) : undefined;
  if (tokenResponse) {
    const merged = mergeTokenResponse({
      previous: {
        access_token: '',
        refresh_token: '',
        token_type: 'Bearer',
        expiry_date: Number.NaN,
      },
      response: tokenResponse,
      nowInMs: now(),
    });
    // device-flow key order of qwen-code
    const { access_token, refresh_token, token_type, resource_url, expiry_date } = merged;
    return {
      kind: 'credentials',
      credentials: {
        access_token,
        refresh_token,
        token_type,
        ...(resource_url ? { resource_url } : {}),
        expiry_date,
      },
    };
  }
  const errorCode = typeof body?.error === 'string' ? body.error : undefined;
  if (errorCode === 'authorization_pending') return { kind: 'pending' };
  if (errorCode === 'slow_down' || response.status === 429) return { kind: 'slow_down' };
  if (errorCode === 'expired_token' || response.status === 401) {
    throw new DeviceFlowError({
      failure: 'EXPIRED',
      message: 'Device code expired or invalid; start `qwen-relay auth login` again.',
      upstreamStatus: response.status,
    });
  }
  if (errorCode === 'access_denied') {
    throw new DeviceFlowError({
      failure: 'DENIED',
      message: 'Authorization was denied in the browser.',
      upstreamStatus: response.status,
    });
  }
  if (!body || response.status >= 500) return { kind: 'transient' };
  throw new DeviceFlowError({
    failure: 'FAILED',
    message: `Device token poll failed: HTTP ${response.status}${errorCode ? ` (${errorCode})` : ''}.`,
    upstreamStatus: response.status,
  });
}
