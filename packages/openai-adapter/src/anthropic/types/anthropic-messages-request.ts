/** Where an image or document comes from (Anthropic `source`). */
export type AnthropicSource =
  | { type: 'base64'; media_type: string; data: string }
  | { type: 'url'; url: string }
  | { type: 'text'; media_type?: string; data: string }
  | { type: string; [extra: string]: unknown };

/** A text block (`cache_control`, `citations` and other extras are accepted and not forwarded). */
export interface AnthropicTextBlock {
  type: 'text';
  text: string;
  [extra: string]: unknown;
}

/** An image block. */
export interface AnthropicImageBlock {
  type: 'image';
  source: AnthropicSource;
  [extra: string]: unknown;
}

/** A tool call the assistant made in an earlier turn. */
export interface AnthropicToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  input: unknown;
  [extra: string]: unknown;
}

/** The result of a tool call, sent back in a user turn. */
export interface AnthropicToolResultBlock {
  type: 'tool_result';
  tool_use_id: string;
  content?: string | AnthropicContentBlock[];
  is_error?: boolean;
  [extra: string]: unknown;
}

/** A thinking block of an earlier assistant turn. */
export interface AnthropicThinkingBlock {
  type: 'thinking';
  thinking: string;
  signature?: string;
  [extra: string]: unknown;
}

/** Any content block of a request; types the translation does not know are dropped. */
export type AnthropicContentBlock =
  | AnthropicTextBlock
  | AnthropicImageBlock
  | AnthropicToolUseBlock
  | AnthropicToolResultBlock
  | AnthropicThinkingBlock
  | { type: string; [extra: string]: unknown };

/** One message of the conversation. */
export interface AnthropicMessageParam {
  role: 'user' | 'assistant';
  content: string | AnthropicContentBlock[];
}

/** A tool definition: a client tool has `input_schema`; server tools (`web_search_…`) do not. */
export interface AnthropicTool {
  name: string;
  description?: string;
  input_schema?: Record<string, unknown>;
  type?: string;
  [extra: string]: unknown;
}

/** How the model may use tools. */
export type AnthropicToolChoice =
  | { type: 'auto'; disable_parallel_tool_use?: boolean }
  | { type: 'any'; disable_parallel_tool_use?: boolean }
  | { type: 'tool'; name: string; disable_parallel_tool_use?: boolean }
  | { type: 'none' };

/** Extended thinking settings. */
export type AnthropicThinkingConfig =
  | { type: 'enabled'; budget_tokens: number }
  | { type: 'disabled' }
  | { type: 'adaptive'; [extra: string]: unknown };

/** A validated `POST /v1/messages/count_tokens` body. */
export interface AnthropicCountTokensRequest {
  model: string;
  messages: AnthropicMessageParam[];
  system?: string | AnthropicTextBlock[];
  tools?: AnthropicTool[];
  tool_choice?: AnthropicToolChoice;
  thinking?: AnthropicThinkingConfig;
  [extra: string]: unknown;
}

/** A validated `POST /v1/messages` body (known fields typed, extra fields accepted). */
export interface AnthropicMessagesRequest extends AnthropicCountTokensRequest {
  max_tokens: number;
  stream?: boolean;
  stop_sequences?: string[];
  temperature?: number;
  top_p?: number;
  top_k?: number;
  metadata?: { user_id?: string | null; [extra: string]: unknown };
}
