import {
  convertEmbeddingsRequestToQwen,
  convertQwenEmbeddingsToOpenAI,
  safeParseEmbeddingsRequest,
} from '@qwen-relay/openai-adapter';
import { readJsonBody } from '../http/read-request-body';
import { sendJson } from '../http/send-json';
import type { ProxyContext, RequestScope } from '../server/proxy-context';
import { finishWholeCall } from '../tracing/finish-whole-call';
import { readGenAiRequestFacts } from '../tracing/read-gen-ai-facts';
import { traceModelCall } from '../tracing/trace-model-call';

/**
 * POST /v1/embeddings: validate, map, call upstream (always for floats), answer in the OpenAI
 * shape with vectors in the client's `encoding_format`.
 */
export async function handleEmbeddings({
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
  const parsed = safeParseEmbeddingsRequest(body);
  if (!parsed.success) throw parsed.error;
  const { payload, clientModel, encodingFormat } = convertEmbeddingsRequestToQwen({
    request: parsed.data,
    // each account renames models itself (portal aliases for OAuth, none for plan hosts)
    modelAliases: {},
  });
  const modelCall = traceModelCall({
    context,
    facts: () => ({ operation: 'embeddings', ...readGenAiRequestFacts({ payload, clientModel }) }),
  });
  const result = await modelCall
    .run(() =>
      context.client.embeddings({ payload, signal: scope.signal, requestId: scope.requestId }),
    )
    .catch((error: unknown) => {
      modelCall.fail(error);
      throw error;
    });
  finishWholeCall({ modelCall, result });
  sendJson({
    response: scope.response,
    status: 200,
    body: convertQwenEmbeddingsToOpenAI({ body: result.body, clientModel, encodingFormat }),
  });
}
