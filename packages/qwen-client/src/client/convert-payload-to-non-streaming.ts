/** The same request as a non-streaming call: explicit `stream: false`, no `stream_options`. */
export function convertPayloadToNonStreaming(
  payload: Record<string, unknown>,
): Record<string, unknown> {
  const { stream_options: _streamOptions, ...rest } = payload;
  // explicit false: some gateways default to SSE when the field is absent
  // (docs/qwen-upstream.md §2.3)
  return { ...rest, stream: false };
}
