import { type Span, SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';

/** What a GenAI span says about the request: names and numbers only, never content. */
export interface GenAiRequestFacts {
  operation: 'chat' | 'embeddings';
  /** the model sent upstream (after aliases) */
  upstreamModel: string;
  /** the model name the client asked for */
  clientModel: string;
  stream?: boolean;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
}

/** What a GenAI span says about the answer. */
export interface GenAiResponseFacts {
  responseModel?: string;
  responseId?: string;
  finishReasons?: string[];
  inputTokens?: number;
  outputTokens?: number;
  /** upstream base URL or host the call went to */
  upstreamUrl?: string;
  accountId?: string;
  /** attempts the call took (retries included) */
  attempts?: number;
}

// Qwen has no well-known provider value in the GenAI conventions: the project's own name for it
const PROVIDER_NAME = 'qwen';

/**
 * Starts the span of one model call following the OpenTelemetry GenAI semantic conventions:
 * `{operation} {model}`, kind CLIENT, `gen_ai.operation.name`, `gen_ai.request.*`,
 * `gen_ai.provider.name` (and the older `gen_ai.system`). No prompt, no completion, no token.
 */
export function startGenAiSpan({
  tracer,
  facts,
}: {
  tracer: Tracer;
  facts: GenAiRequestFacts;
}): Span {
  return tracer.startSpan(`${facts.operation} ${facts.upstreamModel}`, {
    kind: SpanKind.CLIENT,
    attributes: {
      'gen_ai.operation.name': facts.operation,
      'gen_ai.provider.name': PROVIDER_NAME,
      'gen_ai.system': PROVIDER_NAME,
      'gen_ai.request.model': facts.upstreamModel,
      ...(facts.clientModel === facts.upstreamModel
        ? {}
        : { 'qwen_relay.client_model': facts.clientModel }),
      ...(facts.stream === undefined ? {} : { 'gen_ai.request.stream': facts.stream }),
      ...(facts.maxTokens === undefined ? {} : { 'gen_ai.request.max_tokens': facts.maxTokens }),
      ...(facts.temperature === undefined
        ? {}
        : { 'gen_ai.request.temperature': facts.temperature }),
      ...(facts.topP === undefined ? {} : { 'gen_ai.request.top_p': facts.topP }),
    },
  });
}

function readServerAddress(upstreamUrl: string): { host: string; port?: number } | undefined {
  try {
    // resource_url may be a bare host (`portal.qwen.ai`)
    const url = new URL(
      /^[a-z][a-z0-9+.-]*:\/\//i.test(upstreamUrl) ? upstreamUrl : `https://${upstreamUrl}`,
    );
    return url.port === ''
      ? { host: url.hostname }
      : { host: url.hostname, port: Number(url.port) };
  } catch {
    return undefined;
  }
}

/** Ends a GenAI span with the response facts, or as failed with the error's code only. */
export function endGenAiSpan({
  span,
  facts,
  errorCode,
}: {
  span: Span;
  facts: GenAiResponseFacts;
  /** a QWEN_RELAY_* code (or a class of failure): never a message, which may quote content */
  errorCode?: string;
}): void {
  const server = facts.upstreamUrl === undefined ? undefined : readServerAddress(facts.upstreamUrl);
  span.setAttributes({
    ...(facts.responseModel === undefined ? {} : { 'gen_ai.response.model': facts.responseModel }),
    ...(facts.responseId === undefined ? {} : { 'gen_ai.response.id': facts.responseId }),
    ...(facts.finishReasons === undefined || facts.finishReasons.length === 0
      ? {}
      : { 'gen_ai.response.finish_reasons': facts.finishReasons }),
    ...(facts.inputTokens === undefined ? {} : { 'gen_ai.usage.input_tokens': facts.inputTokens }),
    ...(facts.outputTokens === undefined
      ? {}
      : { 'gen_ai.usage.output_tokens': facts.outputTokens }),
    ...(server === undefined ? {} : { 'server.address': server.host }),
    ...(server?.port === undefined ? {} : { 'server.port': server.port }),
    ...(facts.accountId === undefined ? {} : { 'qwen_relay.account.id': facts.accountId }),
    ...(facts.attempts === undefined ? {} : { 'qwen_relay.upstream.attempts': facts.attempts }),
  });
  if (errorCode !== undefined) {
    span.setAttribute('error.type', errorCode);
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.end();
}
