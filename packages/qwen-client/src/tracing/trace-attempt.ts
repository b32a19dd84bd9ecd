import { context, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { QWEN_CLIENT_VERSION } from '../version';

/** One upstream attempt's span: token, request, and response headers (not the streamed body). */
export interface AttemptTrace {
  /** runs the attempt inside the span, so a token refresh it triggers nests under it */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** the URL the attempt goes to: only its host and port are recorded */
  setUrl(url: string): void;
  /** ends the span: `success`, `final` or the retry reason; idempotent */
  end(options: { outcome: string; status?: number; errorCode?: string; delayInMs?: number }): void;
}

/** The trace of an attempt whose span records nothing: every call is free. */
const NOT_RECORDING: AttemptTrace = {
  run: (work) => work(),
  setUrl: () => {},
  end: () => {},
};

/**
 * Starts the span of one upstream attempt (`POST chat/completions`, kind CLIENT) with the
 * attempt number and account; `end` records the status, the outcome and, for a retried attempt,
 * `qwen_relay.retry.reason`. No header, body or token is ever recorded.
 */
export function traceAttempt({
  attempt,
  accountId,
  endpointPath,
  stream,
}: {
  attempt: number;
  accountId: string;
  endpointPath: string;
  stream: boolean;
}): AttemptTrace {
  // looked up per attempt, not once at import: a no-op until an application registers an
  // OpenTelemetry SDK, and right again after it replaced one (tests, restarts in one process)
  const tracer = trace.getTracer('@qwen-relay/qwen-client', QWEN_CLIENT_VERSION);
  const span: Span = tracer.startSpan(`POST ${endpointPath}`, {
    kind: SpanKind.CLIENT,
    attributes: {
      'http.request.method': 'POST',
      'qwen_relay.attempt': attempt,
      'qwen_relay.account.id': accountId,
      'qwen_relay.stream': stream,
    },
  });
  // nothing records it (no SDK registered, or sampled out): no context switch, no URL parse
  if (!span.isRecording()) return NOT_RECORDING;
  const spanContext = trace.setSpan(context.active(), span);
  let ended = false;
  return {
    run: (work) => context.with(spanContext, work),
    setUrl(url) {
      try {
        const { hostname, port, protocol } = new URL(url);
        span.setAttributes({
          'server.address': hostname,
          'server.port': port === '' ? (protocol === 'http:' ? 80 : 443) : Number(port),
        });
      } catch {
        // an unparsable URL fails the attempt on its own; the span just lacks the address
      }
    },
    end({ outcome, status, errorCode, delayInMs }) {
      if (ended) return;
      ended = true;
      span.setAttribute('qwen_relay.attempt.outcome', outcome);
      if (status !== undefined) span.setAttribute('http.response.status_code', status);
      if (outcome !== 'success' && outcome !== 'final' && outcome !== 'aborted') {
        span.setAttribute('qwen_relay.retry.reason', outcome);
        if (delayInMs !== undefined) span.setAttribute('qwen_relay.retry.delay_ms', delayInMs);
      }
      if (errorCode !== undefined) {
        span.setAttribute('error.type', errorCode);
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end();
    },
  };
}
