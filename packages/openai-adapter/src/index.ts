// `@qwen-relay/openai-adapter`: what a proxy for the OpenAI, Responses and Anthropic protocols
// needs (validation, mapping to the Qwen dialect and back, stream transforms, error envelopes).
// The building blocks behind them are in `@qwen-relay/openai-adapter/internal`.
export type { TokenCalibration } from './anthropic/count/create-token-calibration';
export { createTokenCalibration } from './anthropic/count/create-token-calibration';
export type { AnthropicErrorResponse } from './anthropic/errors/convert-error-to-anthropic-error';
export {
  convertErrorToAnthropicError,
  encodeAnthropicSseErrorEvent,
} from './anthropic/errors/convert-error-to-anthropic-error';
export {
  convertAnthropicRequestToQwen,
  estimateAnthropicInputTokens,
} from './anthropic/mapping/convert-anthropic-request-to-qwen';
export { convertChatCompletionToAnthropicMessage } from './anthropic/mapping/convert-chat-completion-to-anthropic-message';
export {
  convertModelsToAnthropicList,
  convertModelToAnthropic,
} from './anthropic/mapping/list-anthropic-models';
export { createAnthropicStreamTransformState } from './anthropic/stream/anthropic-stream-transform-state';
export {
  createAnthropicPassthroughState,
  createAnthropicPassthroughTransform,
} from './anthropic/stream/create-anthropic-passthrough-transform';
export { createAnthropicStreamTransform } from './anthropic/stream/create-anthropic-stream-transform';
export { synthesizeAnthropicMessageStream } from './anthropic/stream/synthesize-anthropic-message-stream';
export type { AnthropicMessage } from './anthropic/types/anthropic-message';
export type {
  AnthropicCountTokensRequest,
  AnthropicMessagesRequest,
} from './anthropic/types/anthropic-messages-request';
export {
  safeParseAnthropicCountTokensRequest,
  safeParseAnthropicMessagesRequest,
} from './anthropic/validation/parse-anthropic-messages-request';
export type { OpenAIErrorResponse } from './errors/convert-error-to-openai-error';
export { convertErrorToOpenAIError } from './errors/convert-error-to-openai-error';
export { encodeSseErrorEvent } from './errors/encode-sse-error-event';
export { InvalidRequestError, NestingTooDeepError } from './errors/invalid-request-error';
export { MalformedUpstreamResponseError } from './errors/malformed-upstream-response-error';
export { StreamTruncatedError } from './errors/stream-truncated-error';
export { UpstreamStreamError } from './errors/upstream-stream-error';
export type { QwenChatCompletionRequest } from './mapping/convert-chat-completion-request-to-qwen';
export { convertChatCompletionRequestToQwen } from './mapping/convert-chat-completion-request-to-qwen';
export { convertEmbeddingsRequestToQwen } from './mapping/convert-embeddings-request-to-qwen';
export { convertQwenChatCompletionToOpenAI } from './mapping/convert-qwen-chat-completion-to-openai';
export { convertQwenEmbeddingsToOpenAI } from './mapping/convert-qwen-embeddings-to-openai';
export { convertUsage } from './mapping/convert-usage';
export type { OpenAIModel } from './mapping/list-openai-models';
export { listOpenAIModels } from './mapping/list-openai-models';
export { DEFAULT_EMBEDDING_MODELS, DEFAULT_MODEL_ALIASES } from './mapping/model-aliases';
export { convertChatCompletionToResponse } from './responses/convert-chat-completion-to-response';
export { convertResponseUsageToUsage } from './responses/convert-response-usage-to-usage';
export { convertResponsesRequestToQwen } from './responses/convert-responses-request-to-qwen';
export {
  createResponsesPassthroughState,
  createResponsesPassthroughTransform,
  type ResponsesPassthroughOptions,
} from './responses/create-responses-passthrough-transform';
export { createResponsesStreamTransform } from './responses/create-responses-stream-transform';
export {
  convertResponsesInputToItems,
  expandPreviousResponse,
  type StoredResponse,
} from './responses/expand-previous-response';
export {
  createResponsesRequestParsers,
  safeParseResponsesRequest,
} from './responses/parse-responses-request';
export { createResponsesStreamTransformState } from './responses/responses-stream-transform-state';
export type { ResponseObject, ResponsesRequest } from './responses/responses-types';
export { synthesizeResponsesStream } from './responses/synthesize-responses-stream';
export type { StreamFailure, StreamSummary } from './stream/chat-stream-transform-state';
export { createChatStreamTransformState } from './stream/chat-stream-transform-state';
export { createChatStreamTransform } from './stream/create-chat-stream-transform';
export type { RestoreOptions } from './stream/restore-options';
export type { StreamTransform, StreamTransformState } from './stream/restore-stream-transform';
export { restoreStreamTransform } from './stream/restore-stream-transform';
export { synthesizeChatCompletionStream } from './stream/synthesize-chat-completion-stream';
export type { ChatCompletion, EmbeddingsList, Usage } from './types/chat-completion';
export type { ChatCompletionRequest, EmbeddingsRequest } from './types/chat-completion-request';
export {
  parseChatCompletionRequest,
  safeParseChatCompletionRequest,
} from './validation/parse-chat-completion-request';
export {
  parseEmbeddingsRequest,
  safeParseEmbeddingsRequest,
} from './validation/parse-embeddings-request';
export type { SafeParseResult } from './validation/run-field-checks';
