import { DEVICE_CODE_GRANT_TYPE, QWEN_OAUTH_CLIENT_ID, QWEN_OAUTH_SCOPE } from '../src/constants';
import type { FakeQwen } from '../src/types';

/** POSTs a form body, returns status, content type and parsed JSON (or text). */
export async function postForm(
  url: string,
  fields: Record<string, string>,
): Promise<{ status: number; contentType: string | null; body: unknown; text: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(fields).toString(),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // keep text
  }
  return { status: response.status, contentType: response.headers.get('content-type'), body, text };
}

/** Starts a device authorization with a given challenge; returns the parsed answer. */
export async function requestDeviceCode(fake: Pick<FakeQwen, 'url'>, codeChallenge: string) {
  const result = await postForm(`${fake.url}/api/v1/oauth2/device/code`, {
    client_id: QWEN_OAUTH_CLIENT_ID,
    scope: QWEN_OAUTH_SCOPE,
    code_challenge: codeChallenge,
    code_challenge_method: 'S256',
  });
  return result as typeof result & {
    body: {
      device_code: string;
      user_code: string;
      verification_uri_complete: string;
      expires_in: number;
    };
  };
}

/** One device-grant poll. */
export function pollDeviceToken(
  fake: Pick<FakeQwen, 'url'>,
  deviceCode: string,
  codeVerifier: string,
) {
  return postForm(`${fake.url}/api/v1/oauth2/token`, {
    grant_type: DEVICE_CODE_GRANT_TYPE,
    client_id: QWEN_OAUTH_CLIENT_ID,
    device_code: deviceCode,
    code_verifier: codeVerifier,
  });
}

/** One refresh-grant call. */
export function refreshToken(fake: FakeQwen, refreshTokenValue: string) {
  return postForm(`${fake.url}/api/v1/oauth2/token`, {
    grant_type: 'refresh_token',
    refresh_token: refreshTokenValue,
    client_id: QWEN_OAUTH_CLIENT_ID,
  });
}

/** POSTs a chat body with a bearer. */
export function postChat(
  fake: FakeQwen,
  { token, body, signal }: { token?: string; body: Record<string, unknown>; signal?: AbortSignal },
): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  return fetch(`${fake.url}/v1/chat/completions`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });
}

/** A minimal valid chat body. */
export function chatBody(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { model: 'coder-model', messages: [{ role: 'user', content: 'hi' }], ...extra };
}

/** Parsed SSE stream: the raw `data:` payloads in order (strict framing check included). */
export function parseSseText(text: string): string[] {
  if (!text.endsWith('\n\n')) throw new Error('stream does not end with a blank line');
  const events = text.slice(0, -2).split('\n\n');
  return events.map((event) => {
    if (!event.startsWith('data: ') || event.includes('\n'))
      throw new Error(`bad SSE event: ${event}`);
    return event.slice('data: '.length);
  });
}

/** JSON chunks of an SSE stream, asserting it ends with [DONE]. */
export function parseChunks(text: string): Array<Record<string, unknown>> {
  const payloads = parseSseText(text);
  if (payloads.at(-1) !== '[DONE]') throw new Error('stream does not end with [DONE]');
  return payloads.slice(0, -1).map((payload) => JSON.parse(payload) as Record<string, unknown>);
}
