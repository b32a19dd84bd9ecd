import type { ServerResponse } from 'node:http';
import { sendBody, sendErrorBody, sendHtml } from '../http/send-response';
import type { FakeContext } from '../server/fake-context';
import { WAF_CHALLENGE_HTML } from '../server/html-pages';
import type { FakeEndpoint, FaultAction } from '../types';

/** Counts a 401 sent from chat/embeddings (the `unauthorizedSent` counter). */
export function countUnauthorized({
  context,
  endpoint,
  status,
}: {
  context: FakeContext;
  endpoint: FakeEndpoint;
  status: number;
}): void {
  if (status === 401 && (endpoint === 'chat' || endpoint === 'embeddings')) {
    context.counters.unauthorizedSent += 1;
  }
}

/**
 * Answers with a before-response fault (status, waf, hang, delay-headers); resolves true when
 * the normal answer must not follow.
 */
export async function applyBeforeResponseFault({
  context,
  action,
  endpoint,
  response,
  sseErrors = false,
}: {
  context: FakeContext;
  action: FaultAction;
  endpoint: FakeEndpoint;
  response: ServerResponse;
  /** frame object bodies as an SSE event (streaming chat with streamErrorFormat 'sse') */
  sseErrors?: boolean;
}): Promise<boolean> {
  switch (action.type) {
    case 'status': {
      countUnauthorized({ context, endpoint, status: action.status });
      const { body } = action;
      const isText = typeof body === 'string';
      if (sseErrors && body !== undefined && !isText && action.contentType === undefined) {
        sendErrorBody({
          response,
          status: action.status,
          value: body,
          asSse: true,
          ...(action.headers ? { headers: action.headers } : {}),
        });
        return true;
      }
      sendBody({
        response,
        status: action.status,
        body: body === undefined ? '' : isText ? body : JSON.stringify(body),
        contentType: action.contentType ?? (isText ? 'text/plain' : 'application/json'),
        ...(action.headers ? { headers: action.headers } : {}),
      });
      return true;
    }
    case 'waf':
      sendHtml({ response, status: 200, html: WAF_CHALLENGE_HTML });
      return true;
    case 'hang':
      // never answer: the socket stays open until the client gives up or close() destroys it
      return true;
    case 'delay-headers':
      await context.sleep(action.delayInMs);
      if (context.isClosing() || response.destroyed) return true;
      return action.andThen
        ? applyBeforeResponseFault({
            context,
            action: action.andThen,
            endpoint,
            response,
            sseErrors,
          })
        : false;
    default:
      return false;
  }
}
