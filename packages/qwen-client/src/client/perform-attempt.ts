import { createUpstreamError } from '../errors/create-upstream-error';
import { UpstreamBadResponseError } from '../errors/upstream-errors';
import { convertTransportError } from '../http/convert-transport-error';
import { readBodyText } from '../http/read-body-text';
import { requestUpstreamText, type UpstreamResponseHead } from '../http/request-upstream-text';
import {
  sendUpstreamRequest,
  type UpstreamHttpResponse,
  type UpstreamRequestOptions,
} from '../http/send-upstream-request';

/** Error bodies are evidence, not payload: read at most this much of them. */
const ERROR_BODY_LIMIT_IN_BYTES = 64 * 1024;

/** The successful outcome of one attempt: an SSE response left unread, or a parsed JSON body. */
export type AttemptSuccess =
  | { kind: 'stream'; response: UpstreamHttpResponse }
  | { kind: 'json'; response: UpstreamResponseHead; body: unknown };

/**
 * Sends one request and turns everything that is not a usable 2xx into a typed error, through
 * `createUpstreamError` for HTTP answers and `convertTransportError` for the rest.
 */
export async function performAttempt({
  stream,
  explain,
  ...request
}: UpstreamRequestOptions & {
  stream: boolean;
  /** explains an upstream failure for this account (see createUpstreamError) */
  explain?: (failure: { status: number; message: string }) => string | undefined;
}): Promise<AttemptSuccess> {
  const { signal, accountId } = request;
  if (!stream) {
    // nothing to hand on as a stream: the answer is read whole, without a Readable
    const response = await requestUpstreamText({
      ...request,
      limitBodyInBytes: (head) => (isUsableJson(head) ? undefined : ERROR_BODY_LIMIT_IN_BYTES),
    });
    return settleWholeAnswer({ response, bodyText: response.bodyText, accountId, explain });
  }
  const response = await sendUpstreamRequest(request);
  if (isSuccess(response) && readContentType(response).includes('text/event-stream')) {
    return { kind: 'stream', response };
  }
  const bodyText = await readText({
    response,
    signal,
    accountId,
    ...(isUsableJson(response) ? {} : { limitInBytes: ERROR_BODY_LIMIT_IN_BYTES }),
  });
  return settleWholeAnswer({ response, bodyText, accountId, explain });
}

function readContentType(head: UpstreamResponseHead): string {
  return String(head.headers['content-type'] ?? '').toLowerCase();
}

function isSuccess(head: UpstreamResponseHead): boolean {
  return head.status >= 200 && head.status < 300;
}

/** A 2xx with a JSON content type: the only answer read without a limit. */
function isUsableJson(head: UpstreamResponseHead): boolean {
  return isSuccess(head) && readContentType(head).includes('json');
}

/** A parsed JSON success, or the typed error for anything else. */
function settleWholeAnswer({
  response,
  bodyText,
  accountId,
  explain,
}: {
  response: UpstreamResponseHead;
  bodyText: string;
  accountId: string;
  explain: ((failure: { status: number; message: string }) => string | undefined) | undefined;
}): AttemptSuccess {
  if (!isUsableJson(response)) {
    throw createUpstreamError({
      status: response.status,
      headers: response.headers,
      bodyText,
      accountId,
      ...(explain === undefined ? {} : { explain }),
    });
  }
  try {
    // only the head travels on: the text is parsed, the body object would keep nothing alive
    return {
      kind: 'json',
      response: { status: response.status, headers: response.headers },
      body: JSON.parse(bodyText) as unknown,
    };
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
