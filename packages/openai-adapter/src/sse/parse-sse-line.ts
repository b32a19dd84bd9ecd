/** Serialisable state of the lines → events layer: the event being assembled. */
export interface SseEventParserState {
  /** `data` lines of the current event joined with "\n", null when none arrived yet */
  eventData: string | null;
  /** the `event:` field of the current event, null when absent */
  eventType: string | null;
}

/** One dispatched SSE event. */
export interface SseEvent {
  type: string;
  data: string;
}

/**
 * Layer 2 of SSE (WHATWG event stream interpretation): feeds one line, returns the event it
 * completes. `data` lines are joined with "\n", `:` comments and `id`/`retry`/unknown fields are
 * ignored, one space after the colon is stripped, and a blank line dispatches.
 */
export function parseSseLine({
  state,
  line,
}: {
  state: SseEventParserState;
  line: string;
}): SseEvent | undefined {
  if (line === '') return dispatchSseEvent(state);
  if (line.charCodeAt(0) === 58 /* : */) return undefined;
  const colon = line.indexOf(':');
  const field = colon === -1 ? line : line.slice(0, colon);
  let value = '';
  if (colon !== -1)
    value = line.charCodeAt(colon + 1) === 32 ? line.slice(colon + 2) : line.slice(colon + 1);
  if (field === 'data')
    state.eventData = state.eventData === null ? value : `${state.eventData}\n${value}`;
  else if (field === 'event') state.eventType = value;
  return undefined;
}

/**
 * Dispatches the event being assembled (blank line, or end of stream: a last event without its
 * blank line is delivered rather than lost). Events without data are dropped, as WHATWG says.
 */
export function dispatchSseEvent(state: SseEventParserState): SseEvent | undefined {
  const { eventData, eventType } = state;
  state.eventData = null;
  state.eventType = null;
  if (eventData === null) return undefined;
  return { type: eventType ?? 'message', data: eventData };
}
