import {
  expandPreviousResponse,
  InvalidRequestError,
  type ResponsesRequest,
} from '@qwen-relay/openai-adapter';
import type { ResponseStore } from './create-response-store';
import { readResponseStore } from './read-response-store';

/**
 * Serves `previous_response_id` on both paths: the kept conversation is prepended to the
 * request's input here, in the proxy, so translation sees the whole conversation and a native
 * host (which never saw our ids, and is sent `store: false`) gets it whole as well. An unknown or
 * expired id is a 400 `invalid_request_error` naming `previous_response_id`.
 */
export async function expandStoredConversation({
  request,
  responseStore,
}: {
  request: ResponsesRequest;
  responseStore: ResponseStore | undefined;
}): Promise<ResponsesRequest> {
  const previousId = request.previous_response_id;
  if (typeof previousId !== 'string' || responseStore === undefined) return request;
  const previous = await readResponseStore(() => responseStore.load(previousId));
  if (previous === undefined) {
    throw new InvalidRequestError({
      message: `Previous response with id '${previousId.length > 100 ? `${previousId.slice(0, 100)}…` : previousId}' not found: it was not stored (send 'store: true' with the earlier request), or it expired (kept ${Math.round(responseStore.ttlInMs / 1000)} s) or was evicted. Pass the whole conversation in 'input' instead.`,
      param: 'previous_response_id',
    });
  }
  return expandPreviousResponse({ request, previous });
}
