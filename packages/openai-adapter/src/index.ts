export type { TokenCalibration } from './anthropic/count/create-token-calibration';
export { createTokenCalibration } from './anthropic/count/create-token-calibration';
export { estimateChatPromptTokens } from './anthropic/count/estimate-chat-prompt-tokens';
export { estimateTextTokens } from './anthropic/count/estimate-text-tokens';
export type {
  AnthropicErrorBody,
  AnthropicErrorResponse,
  AnthropicErrorType,
} from './anthropic/errors/convert-error-to-anthropic-error';
export {
  convertErrorToAnthropicError,
  encodeAnthropicSseErrorEvent,
  formatAnthropicSseErrorEvent,
  mapStatusToAnthropicErrorType,
} from './anthropic/errors/convert-error-to-anthropic-error';
export { convertAnthropicRequestToChat } from './anthropic/mapping/convert-anthropic-request-to-chat';
export type { QwenRequestFromAnthropic } from './anthropic/mapping/convert-anthropic-request-to-qwen';
export {
  convertAnthropicRequestToQwen,
  estimateAnthropicInputTokens,
} from './anthropic/mapping/convert-anthropic-request-to-qwen';
export { convertChatCompletionToAnthropicMessage } from './anthropic/mapping/convert-chat-completion-to-anthropic-message';
export type { AnthropicModel, AnthropicModelList } from './anthropic/mapping/list-anthropic-models';
export {
  convertModelsToAnthropicList,
  convertModelToAnthropic,
} from './anthropic/mapping/list-anthropic-models';
export { repairToolInputJson } from './anthropic/mapping/repair-tool-input-json';
export type { AnthropicStreamTransformState } from './anthropic/stream/anthropic-stream-transform-state';
export type {
  AnthropicPassthroughState,
  AnthropicPassthroughTransform,
} from './anthropic/stream/create-anthropic-passthrough-transform';
export {
  createAnthropicPassthroughTransform,
  restoreAnthropicPassthroughTransform,
} from './anthropic/stream/create-anthropic-passthrough-transform';
export type { AnthropicStreamTransform } from './anthropic/stream/create-anthropic-stream-transform';
export {
  createAnthropicStreamTransform,
  restoreAnthropicStreamTransform,
} from './anthropic/stream/create-anthropic-stream-transform';
export { synthesizeAnthropicMessageStream } from './anthropic/stream/synthesize-anthropic-message-stream';
export type * from './anthropic/types/anthropic-message';
export type * from './anthropic/types/anthropic-messages-request';
export {
  safeParseAnthropicCountTokensRequest,
  safeParseAnthropicMessagesRequest,
} from './anthropic/validation/parse-anthropic-messages-request';
export type { OpenAIErrorBody, OpenAIErrorResponse } from './errors/convert-error-to-openai-error';
export { convertErrorToOpenAIError } from './errors/convert-error-to-openai-error';
export { encodeSseErrorEvent, formatSseErrorEvent } from './errors/encode-sse-error-event';
export { InvalidRequestError, NestingTooDeepError } from './errors/invalid-request-error';
export { MalformedUpstreamResponseError } from './errors/malformed-upstream-response-error';
export { StreamTruncatedError } from './errors/stream-truncated-error';
export { UpstreamStreamError } from './errors/upstream-stream-error';
export type { QwenChatCompletionRequest } from './mapping/convert-chat-completion-request-to-qwen';
export { convertChatCompletionRequestToQwen } from './mapping/convert-chat-completion-request-to-qwen';
export {
  convertEmbeddingsRequestToQwen,
  type EmbeddingsEncodingFormat,
} from './mapping/convert-embeddings-request-to-qwen';
export { convertBase64ToFloats, convertFloatsToBase64 } from './mapping/convert-float32-base64';
export { convertQwenChatCompletionToOpenAI } from './mapping/convert-qwen-chat-completion-to-openai';
export { convertQwenEmbeddingsToOpenAI } from './mapping/convert-qwen-embeddings-to-openai';
export type { ThinkingOptions } from './mapping/convert-reasoning-effort';
export { convertReasoningEffort } from './mapping/convert-reasoning-effort';
export {
  convertReasoningEffortForModel,
  type ModelThinkingOptions,
} from './mapping/convert-reasoning-effort-for-model';
export { convertUsage } from './mapping/convert-usage';
export type { OpenAIModel } from './mapping/list-openai-models';
export { listOpenAIModels } from './mapping/list-openai-models';
export {
  DEFAULT_EMBEDDING_MODELS,
  DEFAULT_MAX_OUTPUT_TOKENS,
  DEFAULT_MODEL_ALIASES,
  getMaxOutputTokens,
  resolveUpstreamModel,
} from './mapping/model-aliases';
export { DEFAULT_CONTEXT_WINDOWS, getContextWindow } from './mapping/model-context-windows';
export {
  isThinkingOnlyModel,
  selectThinkingKnob,
  type ThinkingKnob,
} from './mapping/select-thinking-knob';
export { convertChatCompletionToResponse } from './responses/convert-chat-completion-to-response';
export { convertResponseUsageToUsage } from './responses/convert-response-usage-to-usage';
export type { ResponsesChatRequest } from './responses/convert-responses-request-to-chat';
export { convertResponsesRequestToChat } from './responses/convert-responses-request-to-chat';
export type { QwenResponsesRequest } from './responses/convert-responses-request-to-qwen';
export {
  convertResponsesRequestToQwen,
  createResponseId,
} from './responses/convert-responses-request-to-qwen';
export type {
  ResponsesPassthroughState,
  ResponsesPassthroughTransform,
} from './responses/create-responses-passthrough-transform';
export {
  createResponsesPassthroughTransform,
  restoreResponsesPassthroughTransform,
} from './responses/create-responses-passthrough-transform';
export type { ResponsesStreamTransform } from './responses/create-responses-stream-transform';
export {
  createResponsesStreamTransform,
  restoreResponsesStreamTransform,
} from './responses/create-responses-stream-transform';
export {
  convertResponsesInputToItems,
  expandPreviousResponse,
  type StoredResponse,
} from './responses/expand-previous-response';
export {
  createResponsesRequestParsers,
  parseResponsesRequest,
  safeParseResponsesRequest,
} from './responses/parse-responses-request';
export type { ResponsesStreamTransformState } from './responses/responses-stream-transform-state';
export type {
  ResponseContext,
  ResponseObject,
  ResponseOutputItem,
  ResponsesRequest,
  ResponsesToolNames,
  ResponseUsage,
} from './responses/responses-types';
export { synthesizeResponsesStream } from './responses/synthesize-responses-stream';
export { SseLineTooLongError } from './sse/split-sse-lines';
export type { SseTransformTask, SseTransformTaskResult } from './sse-transform-task';
export { runSseTransformTask } from './sse-transform-task';
export type {
  ChatStreamTransformState,
  StreamEndState,
  StreamFailure,
  StreamSummary,
  StreamSummaryError,
} from './stream/chat-stream-transform-state';
export { DEFAULT_MAX_SSE_LINE_BYTES } from './stream/chat-stream-transform-state';
export type { ChatStreamTransform } from './stream/create-chat-stream-transform';
export {
  createChatStreamTransform,
  restoreChatStreamTransform,
} from './stream/create-chat-stream-transform';
export { flushToolCallRepair, repairToolCallChunk } from './stream/repair-tool-call-chunk';
export type { StreamTransform, StreamTransformState } from './stream/restore-stream-transform';
export { restoreStreamTransform } from './stream/restore-stream-transform';
export { synthesizeChatCompletionStream } from './stream/synthesize-chat-completion-stream';
export {
  cloneToolCallRepairState,
  createToolCallRepairState,
  type HeldToolCall,
  type ToolCallRepairState,
} from './stream/tool-call-repair-state';
export { createToolCallId, createToolCallName } from './tool-calls/synthesize-tool-call-fields';
export type {
  ChatCompletion,
  ChatCompletionChoice,
  ChatCompletionToolCall,
  EmbeddingsList,
  FinishReason,
  Usage,
} from './types/chat-completion';
export type {
  ChatCompletionRequest,
  ChatContentPart,
  ChatMessage,
  ChatMessageToolCall,
  ChatTool,
  EmbeddingsRequest,
  ReasoningEffort,
} from './types/chat-completion-request';
export {
  findNestingIssue,
  MAX_REQUEST_NESTING_DEPTH,
} from './validation/find-nesting-issue';
export {
  parseChatCompletionRequest,
  safeParseChatCompletionRequest,
} from './validation/parse-chat-completion-request';
export {
  parseEmbeddingsRequest,
  safeParseEmbeddingsRequest,
} from './validation/parse-embeddings-request';
export type { SafeParseResult } from './validation/run-field-checks';
export type { ValidationIssue } from './validation/validation-issue';
