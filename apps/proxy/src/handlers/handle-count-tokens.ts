import {
  estimateAnthropicInputTokens,
  safeParseAnthropicCountTokensRequest,
} from '@qwen-relay/openai-adapter';
import { readJsonBody } from '../http/read-request-body';
import { sendJson } from '../http/send-json';
import type { ProxyContext, RequestScope } from '../server/proxy-context';

/**
 * POST /v1/messages/count_tokens, answered locally: the request is validated and translated like
 * a Messages request, its prompt estimated and scaled by what real counts taught about the model.
 * No upstream call, so Claude Code's dozens of calls a second cost no quota and can never put an
 * account into cooldown; never 0 for a request with messages.
 */
export async function handleCountTokens({
  context,
  scope,
}: {
  context: ProxyContext;
  scope: RequestScope;
}): Promise<void> {
  const body = await readJsonBody({
    request: scope.request,
    limitInBytes: context.config.bodyLimitInBytes,
  });
  const parsed = safeParseAnthropicCountTokensRequest(body);
  if (!parsed.success) throw parsed.error;
  // calibrated per client model name, the name /v1/messages learns under
  const inputTokens = context.tokenCalibration.apply({
    model: parsed.data.model,
    estimatedTokens: estimateAnthropicInputTokens(parsed.data),
  });
  sendJson({
    response: scope.response,
    status: 200,
    body: { input_tokens: inputTokens },
    headers: { 'request-id': scope.requestId },
  });
}
