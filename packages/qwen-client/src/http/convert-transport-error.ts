import { QwenClientError } from '../errors/qwen-client-error';
import {
  AbortedError,
  UpstreamConnectionError,
  UpstreamTimeoutError,
} from '../errors/upstream-errors';
import { convertAbortReason } from '../retry/convert-abort-reason';

const timeoutPhases = {
  UND_ERR_CONNECT_TIMEOUT: 'connect',
  UND_ERR_HEADERS_TIMEOUT: 'headers',
  UND_ERR_BODY_TIMEOUT: 'idle',
} as const;

// the dispatcher itself is shutting down: retrying on it cannot work
const finalSocketCodes = new Set(['UND_ERR_CLOSED', 'UND_ERR_DESTROYED']);

/** Maps an undici / socket error (or our own abort reason) to a typed qwen-client error. */
export function convertTransportError({
  error,
  signal,
  accountId,
}: {
  error: unknown;
  signal?: AbortSignal;
  accountId?: string;
}): QwenClientError {
  if (signal?.aborted) return convertAbortReason(signal);
  if (error instanceof QwenClientError) return error;
  const code = readErrorCode(error);
  const account = accountId === undefined ? {} : { accountId };
  if (code !== undefined && code in timeoutPhases) {
    const phase = timeoutPhases[code as keyof typeof timeoutPhases];
    return new UpstreamTimeoutError({
      ...account,
      phase,
      message: `Upstream ${phase === 'idle' ? 'idle (gap between body chunks)' : phase} timeout`,
      cause: error,
    });
  }
  if (code === 'UND_ERR_ABORTED' || code === 'ABORT_ERR')
    return new AbortedError({ ...account, cause: error });
  return new UpstreamConnectionError({
    ...account,
    retryable: !(code !== undefined && finalSocketCodes.has(code)),
    message: `Upstream connection failed${code === undefined ? '' : ` (${code})`}`,
    cause: error,
    ...(code === undefined ? {} : { socketCode: code }),
  });
}

function readErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  // undici wraps some socket failures; the system code sits on the cause
  return readErrorCode((error as { cause?: unknown }).cause);
}
