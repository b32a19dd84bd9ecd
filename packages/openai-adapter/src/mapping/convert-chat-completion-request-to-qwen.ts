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
// (DashScope rejects reasoning_effort together with thinking_budget, docs/qwen-upstream.md §2.3),
// and max_tokens, which is sent clamped after the client's fields
const SKIPPED_FIELDS: ReadonlySet<string> = new Set([
  'reasoning_effort',
  'reasoning',
  'max_completion_tokens',
  'max_tokens',
]);

// some providers reject `tools: []`, and tool_choice without tools is meaningless
const TOOL_FIELDS: ReadonlySet<string> = new Set(['tools', 'tool_choice', 'parallel_tool_calls']);

function createStreamOptions(request: ChatCompletionRequest): Record<string, unknown> {
  return { ...(request.stream_options ?? {}), include_usage: true };
}

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
  const model = resolveUpstreamModel({ model: request.model, modelAliases });
  const stream = request.stream === true;
  const includeUsage = stream && request.stream_options?.include_usage === true;
  const hasTools = Array.isArray(request.tools) && request.tools.length > 0;
  const thinkingOnly = isThinkingOnlyModel(model);

  // one ordered pass over the client's fields, no `delete`: deleting a field that is not the
  // last one turns the object into a dictionary (slow property access, slow JSON.stringify, and
  // most requests carry max_tokens). The key order is the one the spread-then-delete mapping gave.
  const payload: Record<string, unknown> = {};
  let streamPlaced = false;
  let streamOptionsPlaced = false;
  for (const field in request) {
    if (!Object.hasOwn(request, field)) continue;
    const value = (request as Record<string, unknown>)[field];
    // OpenAI treats null as "not set"; the upstream gets nothing rather than a null to interpret
    if (value === null || SKIPPED_FIELDS.has(field)) continue;
    if (!hasTools && TOOL_FIELDS.has(field)) continue;
    switch (field) {
      case 'model':
        payload.model = model;
        break;
      case 'messages':
        payload.messages = request.messages.map((message) =>
          convertMessage({ message, portalQuirks }),
        );
        break;
      case 'stream':
        payload.stream = stream;
        streamPlaced = true;
        break;
      case 'stream_options':
        if (stream) {
          payload.stream_options = createStreamOptions(request);
          streamOptionsPlaced = true;
        }
        break;
      case 'enable_thinking':
        // a thinking-only model answers 400 to enable_thinking: false; it is never sent
        if (!(value === false && thinkingOnly)) payload.enable_thinking = value;
        break;
      default:
        // a client's "__proto__" field is data, as the spread copied it, not the prototype
        if (field === '__proto__') {
          Object.defineProperty(payload, field, {
            value,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        } else {
          payload[field] = value;
        }
    }
  }

  const requestedMaxTokens = request.max_completion_tokens ?? request.max_tokens;
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
      if (
        request.enable_thinking === undefined &&
        thinking.enable_thinking !== undefined &&
        !(thinking.enable_thinking === false && thinkingOnly)
      ) {
        payload.enable_thinking = thinking.enable_thinking;
      }
      if (request.thinking_budget === undefined && thinking.thinking_budget !== undefined) {
        payload.thinking_budget = thinking.thinking_budget;
      }
    }
  }

  if (!streamPlaced) payload.stream = stream;
  // usage is always requested when streaming so the proxy can account for it; forwarding follows
  // includeUsage
  if (stream && !streamOptionsPlaced) payload.stream_options = createStreamOptions(request);
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
