// `@qwen-relay/openai-adapter/internal`: the building blocks behind the main entry (per-protocol
// restore functions and states, tool-call repair, token estimates, model tables, thinking knobs,
// nesting check, the request and response types in full). Not a stable API: it may change in
// any release; applications use the main entry.
export { estimateChatPromptTokens } from './anthropic/count/estimate-chat-prompt-tokens';
export { estimateTextTokens } from './anthropic/count/estimate-text-tokens';
export type {
  AnthropicErrorBody,
  AnthropicErrorType,
} from './anthropic/errors/convert-error-to-anthropic-error';
export {
  formatAnthropicSseErrorEvent,
  mapStatusToAnthropicErrorType,
} from './anthropic/errors/convert-error-to-anthropic-error';
export { convertAnthropicRequestToChat } from './anthropic/mapping/convert-anthropic-request-to-chat';
export type { QwenRequestFromAnthropic } from './anthropic/mapping/convert-anthropic-request-to-qwen';
export type { AnthropicModel, AnthropicModelList } from './anthropic/mapping/list-anthropic-models';
export { repairToolInputJson } from './anthropic/mapping/repair-tool-input-json';
export type { AnthropicStreamTransformState } from './anthropic/stream/anthropic-stream-transform-state';
export type {
  AnthropicPassthroughState,
  AnthropicPassthroughTransform,
} from './anthropic/stream/create-anthropic-passthrough-transform';
export { restoreAnthropicPassthroughTransform } from './anthropic/stream/create-anthropic-passthrough-transform';
export type { AnthropicStreamTransform } from './anthropic/stream/create-anthropic-stream-transform';
export { restoreAnthropicStreamTransform } from './anthropic/stream/create-anthropic-stream-transform';
export type * from './anthropic/types/anthropic-message';
export type * from './anthropic/types/anthropic-messages-request';
export type { OpenAIErrorBody } from './errors/convert-error-to-openai-error';
export { formatSseErrorEvent } from './errors/encode-sse-error-event';
export type { EmbeddingsEncodingFormat } from './mapping/convert-embeddings-request-to-qwen';
export { convertBase64ToFloats, convertFloatsToBase64 } from './mapping/convert-float32-base64';
export type { ThinkingOptions } from './mapping/convert-reasoning-effort';
export { convertReasoningEffort } from './mapping/convert-reasoning-effort';
export {
  convertReasoningEffortForModel,
  type ModelThinkingOptions,
} from './mapping/convert-reasoning-effort-for-model';
export {
  DEFAULT_MAX_OUTPUT_TOKENS,
  getMaxOutputTokens,
  resolveUpstreamModel,
} from './mapping/model-aliases';
export { DEFAULT_CONTEXT_WINDOWS, getContextWindow } from './mapping/model-context-windows';
export {
  isThinkingOnlyModel,
  selectThinkingKnob,
  type ThinkingKnob,
} from './mapping/select-thinking-knob';
export type { ResponsesChatRequest } from './responses/convert-responses-request-to-chat';
export { convertResponsesRequestToChat } from './responses/convert-responses-request-to-chat';
export type { QwenResponsesRequest } from './responses/convert-responses-request-to-qwen';
export { createResponseId } from './responses/convert-responses-request-to-qwen';
export type {
  ResponsesPassthroughState,
  ResponsesPassthroughTransform,
} from './responses/create-responses-passthrough-transform';
export { restoreResponsesPassthroughTransform } from './responses/create-responses-passthrough-transform';
export type { ResponsesStreamTransform } from './responses/create-responses-stream-transform';
export { restoreResponsesStreamTransform } from './responses/create-responses-stream-transform';
export { parseResponsesRequest } from './responses/parse-responses-request';
export type { ResponsesStreamTransformState } from './responses/responses-stream-transform-state';
export type {
  ResponseContext,
  ResponseOutputItem,
  ResponsesToolNames,
  ResponseUsage,
} from './responses/responses-types';
export { SseLineTooLongError } from './sse/split-sse-lines';
export type {
  ChatStreamTransformState,
  StreamEndState,
  StreamSummaryError,
} from './stream/chat-stream-transform-state';
export { DEFAULT_MAX_SSE_LINE_BYTES } from './stream/chat-stream-transform-state';
export type { ChatStreamTransform } from './stream/create-chat-stream-transform';
export { restoreChatStreamTransform } from './stream/create-chat-stream-transform';
export { flushToolCallRepair, repairToolCallChunk } from './stream/repair-tool-call-chunk';
export {
  cloneToolCallRepairState,
  createToolCallRepairState,
  type HeldToolCall,
  type ToolCallRepairState,
} from './stream/tool-call-repair-state';
export { createToolCallId, createToolCallName } from './tool-calls/synthesize-tool-call-fields';
export type {
  ChatCompletionChoice,
  ChatCompletionToolCall,
  FinishReason,
} from './types/chat-completion';
export type {
  ChatContentPart,
  ChatMessage,
  ChatMessageToolCall,
  ChatTool,
  ReasoningEffort,
} from './types/chat-completion-request';
export { findNestingIssue, MAX_REQUEST_NESTING_DEPTH } from './validation/find-nesting-issue';
export type { ValidationIssue } from './validation/validation-issue';
