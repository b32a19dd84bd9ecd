/** The reason a signal carries, or a standard `AbortError` when it carries none. */
export function getAbortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}
