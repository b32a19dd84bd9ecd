/** One Anthropic SSE event: `event: <type>` and `data:` with the same `type` (Anthropic's framing). */
export function formatAnthropicEvent(data: { type: string; [field: string]: unknown }): string {
  return `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;
}
