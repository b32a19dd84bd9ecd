import type { ServerResponse } from 'node:http';
import {
  DEVICE_CODE_GRANT_TYPE,
  QWEN_OAUTH_CLIENT_ID,
  QWEN_OAUTH_SCOPE,
  REFRESH_TOKEN_GRANT_TYPE,
} from '../constants';
import { createOAuthErrorBody } from '../errors/upstream-error-bodies';
import type { ReadBody } from '../http/read-request-body';
import { sendHtml, sendJson } from '../http/send-response';
import type { FakeContext } from '../server/fake-context';
import { WAF_CHALLENGE_HTML } from '../server/html-pages';
import { isPkceVerifierValid } from './pkce';

type Fields = Record<string, string | undefined>;

function sendOAuthError({
  response,
  status,
  error,
  description,
}: {
  response: ServerResponse;
  status: number;
  error: string;
  description: string;
}): void {
  sendJson({ response, status, value: createOAuthErrorBody(error, description) });
}

/** Device grant poll (RFC 8628 §3.4-3.5; docs/qwen-upstream.md §1.3). */
function handleDevicePoll({
  context,
  fields,
  response,
}: {
  context: FakeContext;
  fields: Fields;
  response: ServerResponse;
}): void {
  const record = fields.device_code
    ? context.deviceCodes.findByDeviceCode(fields.device_code)
    : undefined;
  if (!record || record.state === 'consumed') {
    sendOAuthError({
      response,
      status: 400,
      error: 'invalid_grant',
      description: 'Invalid device_code',
    });
    return;
  }
  if (context.deviceCodes.isExpired(record)) {
    sendOAuthError({
      response,
      status: 400,
      error: 'expired_token',
      description: 'The device code has expired',
    });
    return;
  }
  const nowInMs = context.settings.now();
  const previousPollAtInMs = record.lastPollAtInMs;
  record.lastPollAtInMs = nowInMs;
  const minIntervalInMs = context.settings.devicePollMinIntervalInMs;
  if (
    minIntervalInMs > 0 &&
    previousPollAtInMs !== undefined &&
    nowInMs - previousPollAtInMs < minIntervalInMs
  ) {
    sendOAuthError({
      response,
      status: context.settings.slowDownStatus,
      error: 'slow_down',
      description: 'Polling too frequently',
    });
    return;
  }
  // the verifier is checked on every poll, not only at the exchange, so a client with a wrong
  // verifier fails fast instead of polling until the user approves
  if (
    !isPkceVerifierValid({
      codeVerifier: fields.code_verifier ?? '',
      codeChallenge: record.codeChallenge,
    })
  ) {
    sendOAuthError({
      response,
      status: 400,
      error: 'invalid_grant',
      description: 'PKCE verification failed: code_verifier does not match code_challenge',
    });
    return;
  }
  if (record.state === 'denied') {
    sendOAuthError({
      response,
      status: 400,
      error: 'access_denied',
      description: 'The user denied the authorization request',
    });
    return;
  }
  if (record.state === 'pending') {
    sendOAuthError({
      response,
      status: 400,
      error: 'authorization_pending',
      description: 'The user has not approved the request yet',
    });
    return;
  }
  record.state = 'consumed';
  const pair = context.tokens.issuePair(context.settings.accessTokenTtlInSeconds);
  sendJson({
    response,
    status: 200,
    value: {
      access_token: pair.accessToken,
      refresh_token: pair.refreshToken,
      token_type: 'Bearer',
      expires_in: pair.expiresInSeconds,
      scope: QWEN_OAUTH_SCOPE,
      resource_url: context.resourceUrl(),
    },
  });
}

/** Refresh grant with rotation (docs/qwen-upstream.md §1.4). */
function handleRefresh({
  context,
  fields,
  response,
}: {
  context: FakeContext;
  fields: Fields;
  response: ServerResponse;
}): void {
  const pair =
    fields.client_id === QWEN_OAUTH_CLIENT_ID && fields.refresh_token
      ? context.tokens.rotate({
          refreshToken: fields.refresh_token,
          expiresInSeconds: context.settings.accessTokenTtlInSeconds,
        })
      : undefined;
  if (!pair) {
    sendOAuthError({
      response,
      status: 400,
      error: 'invalid_request',
      description: 'Invalid refresh token or client_id',
    });
    return;
  }
  context.counters.refreshSuccesses += 1;
  sendJson({
    response,
    status: 200,
    value: {
      access_token: pair.accessToken,
      token_type: 'Bearer',
      expires_in: pair.expiresInSeconds,
      refresh_token: pair.refreshToken,
      resource_url: context.resourceUrl(),
    },
  });
}

/** POST /api/v1/oauth2/token: dispatches on grant_type. */
export function handleToken({
  context,
  body,
  response,
}: {
  context: FakeContext;
  body: ReadBody;
  response: ServerResponse;
}): void {
  if (context.settings.wafMode) {
    sendHtml({ response, status: 200, html: WAF_CHALLENGE_HTML });
    return;
  }
  if (body.kind !== 'form') {
    sendOAuthError({
      response,
      status: 400,
      error: 'invalid_request',
      description: 'Content-Type must be application/x-www-form-urlencoded',
    });
    return;
  }
  const fields = body.parsed as Fields;
  if (fields.grant_type === REFRESH_TOKEN_GRANT_TYPE) {
    handleRefresh({ context, fields, response });
  } else if (fields.grant_type === DEVICE_CODE_GRANT_TYPE) {
    if (fields.client_id !== QWEN_OAUTH_CLIENT_ID) {
      sendOAuthError({
        response,
        status: 400,
        error: 'invalid_client',
        description: 'Unknown client_id',
      });
      return;
    }
    handleDevicePoll({ context, fields, response });
  } else {
    sendOAuthError({
      response,
      status: 400,
      error: 'unsupported_grant_type',
      description:
        'grant_type must be refresh_token or urn:ietf:params:oauth:grant-type:device_code',
    });
  }
}
