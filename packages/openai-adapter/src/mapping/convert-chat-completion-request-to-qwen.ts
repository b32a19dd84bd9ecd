import type { ChatCompletionRequest, ChatMessage } from '../types/chat-completion-request';
import { applyPortalQuirks } from './apply-portal-quirks';
import { convertReasoningEffortForModel } from './convert-reasoning-effort-for-model';
import { getMaxOutputTokens, resolveUpstreamModel } from './model-aliases';
import { isThinkingOnlyModel } from './select-thinking-knob';

/** Result of mapping a chat request: the Qwen payload plus what the response path needs. */
export interface QwenChatCompletionRequest {
  payload: Record<string, unknown>;
  /** the model name the client asked for, echoed in every response */
  clientModel: string;
  stream: boolean;
  /** whether the client asked for the usage chunk (`stream_options.include_usage`) */
  includeUsage: boolean;
}

// OpenAI-only fields that are consumed by the mapping and must not reach the upstream
// (DashScope rejects reasoning_effort together with thinking_budget, docs/qwen-upstream.md §2.3)
const CONSUMED_FIELDS = ['reasoning_effort', 'reasoning', 'max_completion_tokens'] as const;

/**
 * Maps a validated OpenAI chat request to the Qwen (DashScope compatible-mode) dialect: model
 * aliases, `max_tokens` clamped to the model limit, thinking knobs per model family
 * (`reasoning_effort` tiers for qwen3.8+, `enable_thinking` / `thinking_budget` before; never
 * thinking off for a thinking-only model), explicit `stream`, usage
 * always requested when streaming, empty `tools` omitted, `developer` → `system`, and the
 * portal quirks when `portalQuirks` is on. Unknown fields pass through; zero values are kept.
 */
export function convertChatCompletionRequestToQwen({
  request,
  modelAliases,
  maxOutputTokens,
  portalQuirks = false,
}: {
  request: ChatCompletionRequest;
  modelAliases?: Readonly<Record<string, string>>;
  maxOutputTokens?: Readonly<Record<string, number>>;
  portalQuirks?: boolean;
}): QwenChatCompletionRequest {
  const payload: Record<string, unknown> = { ...request };
  for (const field of CONSUMED_FIELDS) delete payload[field];
  // OpenAI treats null as "not set"; the upstream gets nothing rather than a null to interpret
  for (const field of Object.keys(payload)) if (payload[field] === null) delete payload[field];
  const model = resolveUpstreamModel({ model: request.model, modelAliases });
  payload.model = model;
  payload.messages = request.messages.map((message) => convertMessage({ message, portalQuirks }));

  const requestedMaxTokens = request.max_completion_tokens ?? request.max_tokens;
  delete payload.max_tokens;
  if (typeof requestedMaxTokens === 'number') {
    const limit = getMaxOutputTokens({ model, maxOutputTokens });
    payload.max_tokens =
      limit === undefined ? requestedMaxTokens : Math.min(requestedMaxTokens, limit);
  }

  const effort = request.reasoning_effort ?? request.reasoning?.effort;
  if (effort !== undefined && effort !== null) {
    // the control the model takes: a tiered reasoning_effort (qwen3.8+) or the budget knobs;
    // explicit enable_thinking / thinking_budget win over the effort mapping
    const thinking = convertReasoningEffortForModel({ model, effort });
    const explicit = request.enable_thinking !== undefined || request.thinking_budget !== undefined;
    if (thinking.reasoning_effort !== undefined) {
      // DashScope rejects reasoning_effort next to thinking_budget: explicit knobs stand alone
      if (!explicit) payload.reasoning_effort = thinking.reasoning_effort;
    } else {
      if (request.enable_thinking === undefined && thinking.enable_thinking !== undefined) {
        payload.enable_thinking = thinking.enable_thinking;
      }
      if (request.thinking_budget === undefined && thinking.thinking_budget !== undefined) {
        payload.thinking_budget = thinking.thinking_budget;
      }
    }
  }
  // a thinking-only model answers 400 to enable_thinking: false; it is never sent
  if (payload.enable_thinking === false && isThinkingOnlyModel(model)) {
    delete payload.enable_thinking;
  }

  const stream = request.stream === true;
  const includeUsage = stream && request.stream_options?.include_usage === true;
  payload.stream = stream;
  if (stream) {
    // usage is always requested so the proxy can account for it; forwarding follows includeUsage
    payload.stream_options = { ...(request.stream_options ?? {}), include_usage: true };
  } else {
    delete payload.stream_options;
  }

  if (!Array.isArray(request.tools) || request.tools.length === 0) {
    // some providers reject `tools: []`, and tool_choice without tools is meaningless
    delete payload.tools;
    delete payload.tool_choice;
    delete payload.parallel_tool_calls;
  }
  return { payload, clientModel: request.model, stream, includeUsage };
}

function convertMessage({
  message,
  portalQuirks,
}: {
  message: ChatMessage;
  portalQuirks: boolean;
}): ChatMessage {
  let converted = message;
  // Qwen knows no `developer` role; OpenAI defines it as the system prompt of newer models
  if (converted.role === 'developer') converted = { ...converted, role: 'system' };
  // like `tools: []`, an empty `tool_calls` list is rejected by some providers and means nothing
  if (Array.isArray(converted.tool_calls) && converted.tool_calls.length === 0) {
    const { tool_calls: _empty, ...rest } = converted;
    converted = rest as ChatMessage;
  }
  return portalQuirks ? applyPortalQuirks(converted) : converted;
}
