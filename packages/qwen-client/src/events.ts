import type { QwenClientEvent } from '@qwen-relay/contracts';

/** Receives client events; must not throw (errors thrown by it are swallowed). */
export type QwenClientEventListener = (event: QwenClientEvent) => void;

/** Calls the listener, isolating the client from a listener that throws. */
export function emitQwenClientEvent({
  onEvent,
  event,
}: {
  onEvent: QwenClientEventListener | undefined;
  event: QwenClientEvent;
}): void {
  if (!onEvent) return;
  try {
    onEvent(event);
  } catch {
    // a broken logger must not break a request
  }
}
