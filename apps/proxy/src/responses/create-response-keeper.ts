import { convertResponsesInputToItems, type ResponsesRequest } from '@qwen-relay/openai-adapter';
import type { Logger } from '../logging/create-logger';
import type { ResponseStore } from './create-response-store';

/** Keeps the finished response of one `store: true` request. */
export interface ResponseKeeper {
  /**
   * keeps `response` (with the conversation it answered) and returns it as its client should see
   * it: `store: true` when kept, `store: false` when it could not be (too large, store down),
   * `previous_response_id` echoed; never rejects
   */
  keep(response: Record<string, unknown>): Promise<Record<string, unknown>>;
}

/**
 * The keeper of a request, or undefined when nothing is to be kept (no `store: true`, or no
 * response store). A response that cannot be kept is still answered; the log says why.
 */
export function createResponseKeeper({
  responseStore,
  request,
  logger,
  requestId,
}: {
  responseStore: ResponseStore | undefined;
  request: ResponsesRequest;
  logger: Logger;
  requestId: string;
}): ResponseKeeper | undefined {
  if (request.store !== true || responseStore === undefined) return undefined;
  // the conversation the response answers: kept conversation (already expanded) + this turn
  const input = convertResponsesInputToItems(request);
  return {
    async keep(response) {
      const echoed = echoStoredState({ response, request, stored: true });
      const notStoredReason = await responseStore.save({ input, response: echoed });
      if (notStoredReason === undefined) return echoed;
      logger.warn(
        notStoredReason === 'too-large'
          ? 'Response not kept: larger than RESPONSES_STORE_MAX_BYTES with its conversation'
          : 'Response not kept: the response store failed',
        { requestId, responseId: String(response.id) },
      );
      return echoStoredState({ response, request, stored: false });
    },
  };
}

/**
 * A response with the request's `store` and `previous_response_id` echoed (a native host was sent
 * neither, so its own echo says `store: false` and no previous id).
 */
export function echoStoredState({
  response,
  request,
  stored,
}: {
  response: Record<string, unknown>;
  request: Pick<ResponsesRequest, 'previous_response_id'>;
  stored: boolean;
}): Record<string, unknown> {
  return {
    ...response,
    previous_response_id:
      typeof request.previous_response_id === 'string' ? request.previous_response_id : null,
    store: stored,
  };
}
