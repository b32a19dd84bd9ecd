import type { Dispatcher } from 'undici';
import { createUpstreamError } from '../errors/create-upstream-error';
import { UpstreamBadResponseError } from '../errors/upstream-errors';
import { convertTransportError } from '../http/convert-transport-error';
import { readBodyText } from '../http/read-body-text';
import { sendUpstreamRequest, type UpstreamHttpResponse } from '../http/send-upstream-request';

/** Error bodies are evidence, not payload: read at most this much of them. */
const ERROR_BODY_LIMIT_IN_BYTES = 64 * 1024;

/** The successful outcome of one attempt: an SSE response left unread, or a parsed JSON body. */
export type AttemptSuccess =
  | { kind: 'stream'; response: UpstreamHttpResponse }
  | { kind: 'json'; response: UpstreamHttpResponse; body: unknown };

/**
 * Sends one request and turns everything that is not a usable 2xx into a typed error, through
 * `createUpstreamError` for HTTP answers and `convertTransportError` for the rest.
 */
export async function performAttempt({
  dispatcher,
  url,
  headers,
  body,
  stream,
  headersTimeoutInMs,
  idleTimeoutInMs,
  signal,
  accountId,
  explain,
}: {
  /** explains an upstream failure for this account (see createUpstreamError) */
  explain?: (failure: { status: number; message: string }) => string | undefined;
  dispatcher: Dispatcher;
  url: string;
  headers: Record<string, string>;
  body: string;
  stream: boolean;
  headersTimeoutInMs: number;
  idleTimeoutInMs: number;
  signal: AbortSignal;
  accountId: string;
}): Promise<AttemptSuccess> {
  const response = await sendUpstreamRequest({
    dispatcher,
    url,
    headers,
    body,
    headersTimeoutInMs,
    idleTimeoutInMs,
    signal,
    accountId,
  });
  const contentType = String(response.headers['content-type'] ?? '').toLowerCase();
  const isSuccess = response.status >= 200 && response.status < 300;
  if (isSuccess && stream && contentType.includes('text/event-stream')) {
    return { kind: 'stream', response };
  }
  const isJson = contentType.includes('json');
  const bodyText = await readText({
    response,
    signal,
    accountId,
    ...(isSuccess && isJson ? {} : { limitInBytes: ERROR_BODY_LIMIT_IN_BYTES }),
  });
  if (!isSuccess || !isJson) {
    throw createUpstreamError({
      status: response.status,
      headers: response.headers,
      bodyText,
      accountId,
      ...(explain === undefined ? {} : { explain }),
    });
  }
  try {
    return { kind: 'json', response, body: JSON.parse(bodyText) as unknown };
  } catch (error) {
    throw new UpstreamBadResponseError({
      accountId,
      upstreamStatus: response.status,
      message: `Upstream answered ${response.status} with a JSON content type but a body that does not parse`,
      cause: error,
    });
  }
}

async function readText({
  response,
  signal,
  accountId,
  limitInBytes,
}: {
  response: UpstreamHttpResponse;
  signal: AbortSignal;
  accountId: string;
  limitInBytes?: number;
}): Promise<string> {
  try {
    return await readBodyText({
      body: response.body,
      ...(limitInBytes === undefined ? {} : { limitInBytes }),
    });
  } catch (error) {
    throw convertTransportError({ error, signal, accountId });
  }
}
