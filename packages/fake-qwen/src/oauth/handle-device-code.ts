import type { ServerResponse } from 'node:http';
import { QWEN_OAUTH_CLIENT_ID, QWEN_OAUTH_SCOPE } from '../constants';
import { createOAuthErrorBody } from '../errors/upstream-error-bodies';
import type { ReadBody } from '../http/read-request-body';
import { sendHtml, sendJson } from '../http/send-response';
import type { FakeContext } from '../server/fake-context';
import { SHUTDOWN_HTML } from '../server/html-pages';
import { isS256Challenge } from './pkce';

const KNOWN_SCOPES = new Set(QWEN_OAUTH_SCOPE.split(' '));

function readField(body: ReadBody, name: string): string | undefined {
  if (body.kind !== 'form') return undefined;
  const value = (body.parsed as Record<string, string>)[name];
  return value === undefined || value === '' ? undefined : value;
}

/** Validation error of the device authorization request, or undefined when it is fine. */
function findDeviceRequestProblem(
  body: ReadBody,
): { error: string; description: string } | undefined {
  if (body.kind !== 'form') {
    return {
      error: 'invalid_request',
      description: 'Content-Type must be application/x-www-form-urlencoded',
    };
  }
  if (readField(body, 'client_id') !== QWEN_OAUTH_CLIENT_ID) {
    return { error: 'invalid_client', description: 'Unknown client_id' };
  }
  const scopes = (readField(body, 'scope') ?? '').split(' ').filter(Boolean);
  if (!scopes.includes('model.completion') || scopes.some((scope) => !KNOWN_SCOPES.has(scope))) {
    return { error: 'invalid_scope', description: `scope must be "${QWEN_OAUTH_SCOPE}"` };
  }
  const codeChallenge = readField(body, 'code_challenge');
  if (
    readField(body, 'code_challenge_method') !== 'S256' ||
    !codeChallenge ||
    !isS256Challenge(codeChallenge)
  ) {
    return {
      error: 'invalid_request',
      description:
        'code_challenge (43 base64url chars) with code_challenge_method=S256 is required',
    };
  }
  return undefined;
}

/** POST /api/v1/oauth2/device/code (RFC 8628 §3.1-3.2 with RFC 7636 PKCE; docs/qwen-upstream.md §1.2). */
export function handleDeviceCode({
  context,
  body,
  response,
}: {
  context: FakeContext;
  body: ReadBody;
  response: ServerResponse;
}): void {
  if (context.settings.shutdownMode) {
    sendHtml({ response, status: 200, html: SHUTDOWN_HTML });
    return;
  }
  const problem = findDeviceRequestProblem(body);
  if (problem) {
    sendJson({
      response,
      status: 400,
      value: createOAuthErrorBody(problem.error, problem.description),
    });
    return;
  }
  const expiresInSeconds = context.settings.deviceCodeTtlInSeconds;
  const record = context.deviceCodes.issue({
    codeChallenge: readField(body, 'code_challenge')!,
    expiresInSeconds,
  });
  if (context.settings.autoApprove) record.state = 'approved';
  const verificationUri = `${context.baseUrl()}/authorize`;
  sendJson({
    response,
    status: 200,
    value: {
      device_code: record.deviceCode,
      user_code: record.userCode,
      verification_uri: verificationUri,
      verification_uri_complete: `${verificationUri}?user_code=${record.userCode}&client=qwen-code`,
      expires_in: expiresInSeconds,
      ...(context.settings.devicePollIntervalInSeconds !== undefined
        ? { interval: context.settings.devicePollIntervalInSeconds }
        : {}),
    },
  });
}
