import { createUpstreamError } from '../errors/create-upstream-error';
import { UpstreamBadResponseError } from '../errors/upstream-errors';
import type { UpstreamRequestOptions } from '../http/create-dispatch-options';
import {
  requestUpstream,
  type UpstreamAnswerPolicy,
  type UpstreamResponseHead,
} from '../http/request-upstream';
import type { StreamEnd } from '../stream/create-pushed-upstream-stream';

/** Error bodies are evidence, not payload: read at most this much of them. */
const ERROR_BODY_LIMIT_IN_BYTES = 64 * 1024;

/** An SSE answer handed on while it arrives: its head, its bytes and how they ended. */
export interface UpstreamStreamResponse extends UpstreamResponseHead {
  body: AsyncIterable<Uint8Array>;
  ended: Promise<StreamEnd>;
}

/** The successful outcome of one attempt: an SSE response to relay, or a parsed JSON body. */
export type AttemptSuccess =
  | { kind: 'stream'; response: UpstreamStreamResponse }
  | { kind: 'json'; response: UpstreamResponseHead; body: unknown };

/**
 * Sends one request and turns everything that is not a usable 2xx into a typed error, through
 * `createUpstreamError` for HTTP answers and `convertTransportError` for the rest. A streaming
 * request whose upstream answers with SSE hands the body on as it arrives; every other answer
 * (JSON, or an error body up to its limit) is read whole. Neither goes through a Readable.
 */
export async function performAttempt({
  request,
  stream,
  explain,
}: {
  request: UpstreamRequestOptions;
  stream: boolean;
  /** explains an upstream failure for this account (see createUpstreamError) */
  explain?: (failure: { status: number; message: string }) => string | undefined;
}): Promise<AttemptSuccess> {
  // the request is handed on as it is: on Node 20 a copy with members added
  // (`{ ...request, streamWhen }`) costs ~1.7 µs, a fifth of the client's own time per call
  const answer = await requestUpstream(request, stream ? STREAMED : WHOLE);
  if (answer.kind === 'stream') return { kind: 'stream', response: answer };
  return settleWholeAnswer({
    response: answer,
    bodyText: answer.bodyText,
    accountId: request.accountId,
    explain,
  });
}

const neverStream = (): boolean => false;

/** A 2xx SSE answer: relayed as it arrives. */
function isSseSuccess(head: UpstreamResponseHead): boolean {
  return isSuccess(head) && readContentType(head).includes('text/event-stream');
}

/** Only a usable JSON answer is read without a limit. */
function limitUnlessUsableJson(head: UpstreamResponseHead): number | undefined {
  return isUsableJson(head) ? undefined : ERROR_BODY_LIMIT_IN_BYTES;
}

/** A streaming request: a 2xx SSE answer is relayed as it arrives. */
const STREAMED: UpstreamAnswerPolicy = {
  streamWhen: isSseSuccess,
  limitBodyInBytes: limitUnlessUsableJson,
};
/** Every other request: the answer is read whole. */
const WHOLE: UpstreamAnswerPolicy = {
  streamWhen: neverStream,
  limitBodyInBytes: limitUnlessUsableJson,
};

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
