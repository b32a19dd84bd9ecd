import { excerptUpstreamBody } from '@qwen-relay/contracts';
import type { Dispatcher } from 'undici';
import { DeviceFlowError } from '../errors/device-flow-error';
import type { QwenCredentials } from '../types';
import { createPkcePair } from './create-pkce-pair';
import { pollDeviceToken } from './poll-device-token';
import { type FormPostResponse, postForm, safeParseJsonObject } from './post-form';
import {
  getOAuthEndpointUrl,
  QWEN_OAUTH_CLIENT_ID,
  QWEN_OAUTH_SCOPE,
} from './qwen-oauth-constants';

/** Progress of one poll, for a CLI spinner. */
export interface DevicePollInfo {
  attempt: number;
  intervalInMs: number;
  state: 'pending' | 'slow_down';
}

/** A started device authorization: show the code/URI to the user, then poll. */
export interface DeviceAuthorization {
  userCode: string;
  verificationUri: string;
  verificationUriComplete: string;
  expiresAtInMs: number;
  /** polls until the user approves (credentials), denies, or the code expires; abortable */
  pollForCredentials(options?: {
    signal?: AbortSignal;
    onPoll?: (info: DevicePollInfo) => void;
  }): Promise<QwenCredentials>;
}

/** Options of {@link startDeviceAuthorization}. */
export interface StartDeviceAuthorizationOptions {
  oauthBaseUrl?: string;
  dispatcher?: Dispatcher;
  signal?: AbortSignal;
  /** clock for the deadline (default Date.now) */
  now?: () => number;
  /** wait between polls (default: an abortable timer); tests inject a fast one */
  sleep?: (delayInMs: number, signal?: AbortSignal) => Promise<void>;
  /** first poll interval (default 2_000, like qwen-code) */
  initialPollIntervalInMs?: number;
  /** cap after repeated slow_down (default 10_000) */
  maxPollIntervalInMs?: number;
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/**
 * Starts the OAuth 2.0 device authorization grant (RFC 8628) with PKCE S256 (RFC 7636) against
 * `/api/v1/oauth2/device/code`.
 */
export async function startDeviceAuthorization(
  options: StartDeviceAuthorizationOptions = {},
): Promise<DeviceAuthorization> {
  const { oauthBaseUrl, dispatcher, signal, now = Date.now } = options;
  const { codeVerifier, codeChallenge } = createPkcePair();
  let response: FormPostResponse;
  try {
    response = await postForm({
      url: getOAuthEndpointUrl({
        ...(oauthBaseUrl ? { oauthBaseUrl } : {}),
        endpoint: 'device-code',
      }),
      form: {
        client_id: QWEN_OAUTH_CLIENT_ID,
        scope: QWEN_OAUTH_SCOPE,
        code_challenge: codeChallenge,
        code_challenge_method: 'S256',
      },
      ...(dispatcher ? { dispatcher } : {}),
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new DeviceFlowError({
      failure: 'FAILED',
      message: 'Device authorization failed: the OAuth server could not be reached.',
      cause: error,
    });
  }
  const body = safeParseJsonObject(response.text);
  if (response.status !== 200 || !body || !isNonEmptyString(body.device_code)) {
    const detail = body
      ? `${typeof body.error === 'string' ? body.error : 'no device_code'}`
      : `a non-JSON answer: ${excerptUpstreamBody({ text: response.text, maxLengthInChars: 80 })} (the Qwen OAuth free tier was discontinued on 2026-04-15)`;
    throw new DeviceFlowError({
      failure: 'FAILED',
      message: `Device authorization failed: HTTP ${response.status}, ${detail}.`,
      upstreamStatus: response.status,
    });
  }
  const deviceCode = body.device_code;
  const userCode = isNonEmptyString(body.user_code) ? body.user_code : '';
  const verificationUri = isNonEmptyString(body.verification_uri) ? body.verification_uri : '';
  const expiresInSeconds = Number(body.expires_in);
  const expiresAtInMs =
    now() +
    (Number.isFinite(expiresInSeconds) && expiresInSeconds > 0 ? expiresInSeconds : 1800) * 1000;
  return {
    userCode,
    verificationUri,
    verificationUriComplete: isNonEmptyString(body.verification_uri_complete)
      ? body.verification_uri_complete
      : verificationUri,
    expiresAtInMs,
    pollForCredentials: (pollOptions = {}) =>
      pollDeviceToken({ ...options, ...pollOptions, deviceCode, codeVerifier, expiresAtInMs }),
  };
}
