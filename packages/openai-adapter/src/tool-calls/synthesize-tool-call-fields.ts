/**
 * The id given to a tool call whose upstream never sent one, stable for the completion, choice
 * and call: `call_<completion id without chatcmpl->_<choice>_<index>` (matches `^[\w-]+$`, which
 * Anthropic's `tool_use.id` requires too).
 */
export function createToolCallId({
  completionId,
  choiceIndex,
  index,
}: {
  completionId: string;
  choiceIndex: number;
  index: number;
}): string {
  const stem = completionId.replace(/^chatcmpl-/, '').replace(/[^\w-]/g, '') || 'qwen-relay';
  return `call_${stem}_${choiceIndex}_${index}`;
}

/**
 * The name given to a tool call whose upstream sent arguments but never a name: `tool_<index>`
 * (as CLIProxyAPI does), so the call reaches the client instead of being dropped.
 */
export function createToolCallName(index: number): string {
  return `tool_${index}`;
}
