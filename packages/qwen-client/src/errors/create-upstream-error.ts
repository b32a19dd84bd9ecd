import { excerptUpstreamBody, parseRetryAfterInMs, redactSecrets } from '@qwen-relay/contracts';
import { classifyUpstreamLimit } from '../scheduling/classify-upstream-limit';
import type { AttemptRecord } from './attempt-record';
import { isAuthLookingText, isQuotaText, isStreamTimeoutText } from './classify-upstream-failure';
import { parseUpstreamErrorBody } from './parse-upstream-error-body';
import type { QwenClientError, QwenClientErrorOptions } from './qwen-client-error';
import {
  QuotaExceededError,
  UpstreamAuthError,
  UpstreamBadRequestError,
  UpstreamBadResponseError,
  UpstreamRateLimitedError,
  UpstreamServerError,
} from './upstream-errors';

/** What the HTTP boundary knows about a response it will not hand to the caller. */
export interface CreateUpstreamErrorOptions {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  bodyText: string;
  attempts?: readonly AttemptRecord[];
  accountId?: string;
  now?: () => number;
  /** what the failure means for this account and how to fix it (plan misconfigurations), appended to the message */
  explain?: (failure: { status: number; message: string }) => string | undefined;
}

const retryableServerStatuses = new Set([500, 502, 503, 504]);

/**
 * The one place where an upstream HTTP status + body becomes a typed error. Order matters:
 * quota before auth (a quota error may come as 403), auth before plain 4xx (auth-looking
 * messages on other statuses are refreshed once, like qwen-code does).
 */
export function createUpstreamError({
  status,
  headers,
  bodyText,
  attempts,
  accountId,
  now,
  explain,
}: CreateUpstreamErrorOptions): QwenClientError {
  const details = parseUpstreamErrorBody(bodyText);
  const upstreamMessage = redactSecrets(details.message ?? '').trim();
  const classifiedText = `${details.code ?? ''} ${details.type ?? ''} ${details.message ?? bodyText}`;
  const retryAfterInMs = parseRetryAfterInMs(now ? { headers, now } : { headers });
  const shared: Omit<QwenClientErrorOptions, 'code' | 'message' | 'status'> = {
    upstreamStatus: status,
    upstreamBody: excerptUpstreamBody({ text: bodyText }),
  };
  if (details.code !== undefined) shared.upstreamCode = details.code;
  if (details.type !== undefined) shared.upstreamType = details.type;
  if (details.param !== undefined) shared.param = details.param;
  if (retryAfterInMs !== undefined) shared.retryAfterInMs = retryAfterInMs;
  if (attempts !== undefined) shared.attempts = attempts;
  if (accountId !== undefined) shared.accountId = accountId;
  const explanation = explain?.({ status, message: upstreamMessage });
  const explained = (text: string) =>
    explanation === undefined ? text : `${text.replace(/\.?\s*$/, '.')} ${explanation}`;
  const describe = (what: string) =>
    explained(
      upstreamMessage === '' ? `${what} (${status})` : `${what} (${status}): ${upstreamMessage}`,
    );

  if (status >= 200 && status < 300) {
    const contentType = String(headers['content-type'] ?? 'no content type');
    return new UpstreamBadResponseError({
      ...shared,
      message: `Upstream answered ${status} with ${contentType} instead of the expected body`,
    });
  }
  const limit = classifyUpstreamLimit({ status, text: classifiedText });
  if (
    status >= 400 &&
    status < 500 &&
    (isQuotaText(classifiedText) || limit?.kind === 'free-quota-exhausted')
  ) {
    return new QuotaExceededError({ ...shared, message: describe('Upstream quota exceeded') });
  }
  if (status === 401 || status === 403) {
    return new UpstreamAuthError({ ...shared, message: describe('Upstream rejected the token') });
  }
  if (status === 429) {
    return new UpstreamRateLimitedError({ ...shared, message: describe('Upstream rate limit') });
  }
  if (status >= 400 && status < 500 && isAuthLookingText(classifiedText)) {
    return new UpstreamAuthError({ ...shared, message: describe('Upstream rejected the token') });
  }
  if (status === 408) {
    return new UpstreamServerError({
      ...shared,
      retryable: true,
      message: describe('Upstream request timeout'),
    });
  }
  if (status >= 400 && status < 500) {
    return new UpstreamBadRequestError({
      ...shared,
      status,
      message: explained(
        upstreamMessage === '' ? `Upstream rejected the request (${status})` : upstreamMessage,
      ),
    });
  }
  if (status >= 500) {
    return new UpstreamServerError({
      ...shared,
      retryable: retryableServerStatuses.has(status),
      streamTimeout: status === 504 || isStreamTimeoutText(bodyText),
      message: describe('Upstream server error'),
    });
  }
  return new UpstreamBadResponseError({
    ...shared,
    message: `Upstream answered with unexpected status ${status}`,
  });
}
