import { convertChatCompletionRequestToQwen } from '../../mapping/convert-chat-completion-request-to-qwen';
import { estimateChatPromptTokens } from '../count/estimate-chat-prompt-tokens';
import type {
  AnthropicCountTokensRequest,
  AnthropicMessagesRequest,
} from '../types/anthropic-messages-request';
import { convertAnthropicRequestToChat } from './convert-anthropic-request-to-chat';
import { convertAnthropicThinking } from './convert-anthropic-thinking';

/** Result of translating a Messages request: the Qwen payload plus what the response path needs. */
export interface QwenRequestFromAnthropic {
  payload: Record<string, unknown>;
  /** the model name the client asked for, echoed in the response */
  clientModel: string;
  /** the upstream model id (after aliases), for per-model token calibration */
  upstreamModel: string;
  stream: boolean;
  stopSequences: string[];
  /** the local, uncalibrated estimate of the prompt tokens */
  estimatedInputTokens: number;
}

/**
 * A validated Anthropic Messages request → the Qwen chat payload, through the chat request and
 * the chat mapping (aliases, output limit, usage always requested in streams); `thinking` then
 * goes through the resolved model's thinking knob, as chat's `reasoning_effort` does.
 */
export function convertAnthropicRequestToQwen({
  request,
  modelAliases,
  maxOutputTokens,
  portalQuirks = false,
}: {
  request: AnthropicMessagesRequest;
  modelAliases?: Readonly<Record<string, string>>;
  maxOutputTokens?: Readonly<Record<string, number>>;
  portalQuirks?: boolean;
}): QwenRequestFromAnthropic {
  const chat = convertAnthropicRequestToChat(request);
  const { payload, clientModel, stream } = convertChatCompletionRequestToQwen({
    request: chat,
    portalQuirks,
    ...(modelAliases === undefined ? {} : { modelAliases }),
    ...(maxOutputTokens === undefined ? {} : { maxOutputTokens }),
  });
  Object.assign(
    payload,
    convertAnthropicThinking({ thinking: request.thinking, model: String(payload.model) }),
  );
  return {
    payload,
    clientModel,
    upstreamModel: String(payload.model),
    stream,
    stopSequences: request.stop_sequences ?? [],
    estimatedInputTokens: estimateChatPromptTokens(chat),
  };
}

/**
 * The local, uncalibrated prompt estimate of a `count_tokens` request (the same translation a
 * Messages request gets, so both agree); at least 1.
 */
export function estimateAnthropicInputTokens(request: AnthropicCountTokensRequest): number {
  return estimateChatPromptTokens(convertAnthropicRequestToChat({ ...request, max_tokens: 1 }));
}
