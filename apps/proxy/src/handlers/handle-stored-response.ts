import { ResponseNotFoundError } from '../errors/proxy-errors';
import { sendJson } from '../http/send-json';
import { readResponseStore } from '../responses/read-response-store';
import type { ProxyContext, RequestScope } from '../server/proxy-context';

/**
 * GET /v1/responses/{id} (the response object as its client got it) and DELETE /v1/responses/{id}
 * (`{id, object: "response", deleted: true}`) for responses kept with `store: true`; 404
 * `not_found` for one never kept, expired or deleted, or when the response store is turned off.
 */
export async function handleStoredResponse({
  context,
  scope,
  responseId,
}: {
  context: ProxyContext;
  scope: RequestScope;
  responseId: string;
}): Promise<void> {
  const { responseStore } = context;
  const notFound = () =>
    new ResponseNotFoundError({ responseId, storeEnabled: responseStore !== undefined });
  if (responseStore === undefined) throw notFound();
  const method = scope.request.method ?? 'GET';
  if (method === 'DELETE') {
    if (!(await readResponseStore(() => responseStore.delete(responseId)))) throw notFound();
    sendJson({
      response: scope.response,
      status: 200,
      body: { id: responseId, object: 'response', deleted: true },
    });
    return;
  }
  const stored = await readResponseStore(() => responseStore.load(responseId));
  if (stored === undefined) throw notFound();
  sendJson({ response: scope.response, status: 200, body: stored.response });
}
