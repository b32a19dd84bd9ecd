import { context as otelContext, trace } from '@opentelemetry/api';
import { isQwenRelayError } from '@qwen-relay/contracts';
import { resolveBaseUrl } from '@qwen-relay/qwen-client';
import type { ProxyContext } from '../server/proxy-context';
import {
  endGenAiSpan,
  type GenAiRequestFacts,
  type GenAiResponseFacts,
  startGenAiSpan,
} from './gen-ai-span';

/** The GenAI span of one model call as a handler uses it; does nothing while tracing is off. */
export interface ModelCallTrace {
  /** runs the upstream call inside the span, so attempt, refresh and lock spans nest under it */
  run<T>(call: () => Promise<T>): Promise<T>;
  /**
   * ends the span with what the answer said, and the account that served it; pass a function to
   * read the facts only when tracing is on (reading a whole completion costs on every request)
   */
  succeed(
    facts:
      | Omit<GenAiResponseFacts, 'upstreamUrl'>
      | (() => Omit<GenAiResponseFacts, 'upstreamUrl'>),
  ): void;
  /** ends the span as failed, with the error's stable code only */
  fail(error: unknown): void;
}

/** The stable code of a failure: a relay error's code, a stream summary's `relayCode`. */
function readErrorCode(error: unknown): string {
  if (isQwenRelayError(error)) return error.code;
  const relayCode = (error as { relayCode?: unknown } | undefined)?.relayCode;
  return typeof relayCode === 'string' ? relayCode : 'QWEN_RELAY_UNEXPECTED';
}

const NOT_TRACED: ModelCallTrace = {
  run: (call) => call(),
  succeed: () => undefined,
  fail: () => undefined,
};

/** Starts the GenAI span of a chat or embeddings call when tracing is on. */
export function traceModelCall({
  context,
  facts,
}: {
  context: ProxyContext;
  /** or a function reading them, called only when tracing is on */
  facts: GenAiRequestFacts | (() => GenAiRequestFacts);
}): ModelCallTrace {
  if (context.tracing === undefined) return NOT_TRACED;
  const requestFacts = typeof facts === 'function' ? facts() : facts;
  const span = startGenAiSpan({ tracer: context.tracing.tracer, facts: requestFacts });
  const spanContext = trace.setSpan(otelContext.active(), span);
  let ended = false;
  const upstreamUrlOf = (accountId: string | undefined) => {
    const account = context.accounts.current.find((entry) => entry.accountId === accountId);
    return resolveBaseUrl({
      resourceUrl: account?.getStatus().resourceUrl,
      baseUrlOverride: context.config.apiBaseUrl,
    });
  };
  return {
    run: (call) => otelContext.with(spanContext, call),
    succeed(facts) {
      if (ended) return;
      ended = true;
      const response = typeof facts === 'function' ? facts() : facts;
      endGenAiSpan({
        span,
        facts: { ...response, upstreamUrl: upstreamUrlOf(response.accountId) },
      });
    },
    fail(error) {
      if (ended) return;
      ended = true;
      endGenAiSpan({
        span,
        facts: {},
        errorCode: readErrorCode(error),
      });
    },
  };
}
