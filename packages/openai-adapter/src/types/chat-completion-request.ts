/** A content part of a chat message (text, image_url and the other multimodal parts Qwen accepts). */
export type ChatContentPart =
  | { type: 'text'; text: string; [extra: string]: unknown }
  | {
      type: 'image_url';
      image_url: { url: string; detail?: 'auto' | 'low' | 'high' } | string;
      [extra: string]: unknown;
    }
  | { type: 'input_audio' | 'video' | 'video_url' | 'refusal'; [extra: string]: unknown };

/** A tool call inside an assistant message. */
export interface ChatMessageToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
  [extra: string]: unknown;
}

/** One validated chat message; unknown extra keys are kept. */
export interface ChatMessage {
  role: 'system' | 'developer' | 'user' | 'assistant' | 'tool';
  content?: string | ChatContentPart[] | null;
  name?: string;
  tool_calls?: ChatMessageToolCall[];
  tool_call_id?: string;
  reasoning_content?: string | null;
  [extra: string]: unknown;
}

/** A function tool definition. */
export interface ChatTool {
  type: 'function';
  function: {
    name: string;
    description?: string;
    parameters?: Record<string, unknown>;
    strict?: boolean;
  };
  [extra: string]: unknown;
}

/** OpenAI reasoning effort levels accepted by the adapter. */
export type ReasoningEffort = 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh' | 'max';

/** A validated OpenAI chat-completions request (known fields typed, extra fields kept). */
export interface ChatCompletionRequest {
  model: string;
  messages: ChatMessage[];
  stream?: boolean | null;
  stream_options?: { include_usage?: boolean; [extra: string]: unknown } | null;
  tools?: ChatTool[];
  tool_choice?: 'none' | 'auto' | 'required' | { type: 'function'; function: { name: string } };
  parallel_tool_calls?: boolean;
  response_format?: { type: 'text' | 'json_object' | 'json_schema'; [extra: string]: unknown };
  n?: number | null;
  stop?: string | string[] | null;
  seed?: number | null;
  temperature?: number | null;
  top_p?: number | null;
  presence_penalty?: number | null;
  frequency_penalty?: number | null;
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  user?: string;
  logprobs?: boolean | null;
  top_logprobs?: number | null;
  reasoning_effort?: ReasoningEffort | null;
  reasoning?: { effort?: ReasoningEffort | null; [extra: string]: unknown } | null;
  enable_thinking?: boolean;
  thinking_budget?: number;
  top_k?: number | null;
  repetition_penalty?: number | null;
  metadata?: Record<string, unknown> | null;
  [extra: string]: unknown;
}

/** A validated OpenAI embeddings request. */
export interface EmbeddingsRequest {
  model: string;
  input: string | string[] | number[] | number[][];
  encoding_format?: 'float' | 'base64';
  dimensions?: number;
  user?: string;
  [extra: string]: unknown;
}
