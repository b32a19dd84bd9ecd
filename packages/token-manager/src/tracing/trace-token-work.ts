import { type Span, SpanStatusCode, trace } from '@opentelemetry/api';
import { isQwenRelayError } from '@qwen-relay/contracts';
import { version } from '../../package.json';

function readErrorCode(error: unknown): string {
  return isQwenRelayError(error) ? error.code : 'QWEN_RELAY_TOKEN_REFRESH_FAILED';
}

async function runInSpan<T>({
  name,
  attributes,
  work,
}: {
  name: string;
  attributes: Record<string, string | number | boolean>;
  work: (span: Span) => Promise<T>;
}): Promise<T> {
  // looked up per span, not once at import: a no-op until an application registers an
  // OpenTelemetry SDK, and right again after it replaced one (tests, restarts in one process)
  const tracer = trace.getTracer('@qwen-relay/token-manager', version);
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      // the code only: refresh error messages are safe, but spans keep to names and numbers
      span.setAttribute('error.type', readErrorCode(error));
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * Runs one refresh flight (the single-flight refresh every waiting caller shares) in a
 * `token refresh` span: account, reason, and whether the token was refreshed or adopted from
 * another process. Never a token.
 */
export function traceTokenRefresh<T>({
  accountId,
  reason,
  work,
  readOutcome,
}: {
  accountId: string;
  reason: string;
  work: () => Promise<T>;
  /** `ok` or `adopted`, read once the flight succeeded */
  readOutcome: () => string | undefined;
}): Promise<T> {
  return runInSpan({
    name: 'token refresh',
    attributes: { 'qwen_relay.account.id': accountId, 'qwen_relay.refresh.reason': reason },
    work: async (span) => {
      const result = await work();
      const outcome = readOutcome();
      if (outcome !== undefined) span.setAttribute('qwen_relay.refresh.outcome', outcome);
      return result;
    },
  });
}

/**
 * Runs the acquisition of the credentials lock in a `credentials lock` span, recording whether
 * another process held it (the wait) and whether a stale lock was removed.
 */
export function traceLockWait<T>({
  accountId,
  work,
}: {
  accountId: string;
  work: (observe: { onWaiting(): void; onStaleRemoved(): void }) => Promise<T>;
}): Promise<T> {
  return runInSpan({
    name: 'credentials lock',
    attributes: { 'qwen_relay.account.id': accountId },
    work: (span) => {
      let waits = 0;
      return work({
        onWaiting: () => {
          waits += 1;
          span.setAttribute('qwen_relay.lock.wait_polls', waits);
        },
        onStaleRemoved: () => span.setAttribute('qwen_relay.lock.stale_removed', true),
      });
    },
  });
}
