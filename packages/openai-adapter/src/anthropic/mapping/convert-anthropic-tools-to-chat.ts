import type { ChatCompletionRequest, ChatTool } from '../../types/chat-completion-request';
import type { AnthropicTool, AnthropicToolChoice } from '../types/anthropic-messages-request';

/**
 * Client tools → chat function tools with only `name`, `description` and `parameters`: extra
 * fields (beta-only `input_examples`, `cache_control`, `defer_loading`, …) are dropped because
 * the upstream rejects or ignores them. Server tools (`web_search_…`, `bash_…`, no
 * `input_schema`) run on Anthropic's side and cannot run here, so they are left out.
 */
export function convertAnthropicToolsToChat(tools: AnthropicTool[] | undefined): ChatTool[] {
  if (tools === undefined) return [];
  const converted: ChatTool[] = [];
  for (const tool of tools) {
    const isClientTool =
      tool.type === undefined || tool.type === 'custom' || tool.input_schema !== undefined;
    if (!isClientTool) continue;
    const fn: ChatTool['function'] = {
      name: tool.name,
      parameters: tool.input_schema ?? { type: 'object', properties: {} },
    };
    if (typeof tool.description === 'string') fn.description = tool.description;
    converted.push({ type: 'function', function: fn });
  }
  return converted;
}

/** `tool_choice` → chat `tool_choice` (+ `parallel_tool_calls: false` when parallel use is disabled). */
export function convertAnthropicToolChoiceToChat(
  choice: AnthropicToolChoice | undefined,
): Pick<ChatCompletionRequest, 'tool_choice' | 'parallel_tool_calls'> {
  if (choice === undefined) return {};
  const parallel =
    'disable_parallel_tool_use' in choice && choice.disable_parallel_tool_use === true
      ? { parallel_tool_calls: false }
      : {};
  switch (choice.type) {
    case 'auto':
      return { tool_choice: 'auto', ...parallel };
    case 'any':
      return { tool_choice: 'required', ...parallel };
    case 'tool':
      return { tool_choice: { type: 'function', function: { name: choice.name } }, ...parallel };
    case 'none':
      return { tool_choice: 'none' };
  }
}
