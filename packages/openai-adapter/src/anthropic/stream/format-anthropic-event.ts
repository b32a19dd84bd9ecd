/** One Anthropic SSE event: `event: <type>` and `data:` with the same `type` (Anthropic's framing). */
export function formatAnthropicEvent(data: { type: string; [field: string]: unknown }): string {
  return `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/*
 * The events of every streamed token, built as text: byte for byte what formatAnthropicEvent
 * gives for the same object (same member order, an integer index, only the text serialised),
 * without building and serialising the object around it. The tests hold them to that.
 */

/** `ping`, as formatAnthropicEvent({ type: 'ping' }) */
export const ANTHROPIC_PING_EVENT = 'event: ping\ndata: {"type":"ping"}\n\n';

/** `message_stop`, as formatAnthropicEvent({ type: 'message_stop' }) */
export const ANTHROPIC_MESSAGE_STOP_EVENT =
  'event: message_stop\ndata: {"type":"message_stop"}\n\n';

/** `content_block_delta` of a text or thinking delta at block `index` (an integer) */
export function formatBlockDeltaEvent({
  index,
  kind,
  text,
  textJson = JSON.stringify(text),
}: {
  index: number;
  kind: 'text' | 'thinking';
  text: string;
  /** `JSON.stringify(text)`, when the caller has it */
  textJson?: string | undefined;
}): string {
  return kind === 'text'
    ? `event: content_block_delta\ndata: {"type":"content_block_delta","index":${index},"delta":{"type":"text_delta","text":${textJson}}}\n\n`
    : `event: content_block_delta\ndata: {"type":"content_block_delta","index":${index},"delta":{"type":"thinking_delta","thinking":${textJson}}}\n\n`;
}

/** `content_block_stop` of block `index` (an integer) */
export function formatBlockStopEvent(index: number): string {
  return `event: content_block_stop\ndata: {"type":"content_block_stop","index":${index}}\n\n`;
}
