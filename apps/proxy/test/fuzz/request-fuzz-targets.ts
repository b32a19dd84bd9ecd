import {
  type AnthropicCountTokensRequest,
  type AnthropicMessagesRequest,
  type ChatCompletionRequest,
  convertAnthropicRequestToQwen,
  convertChatCompletionRequestToQwen,
  convertEmbeddingsRequestToQwen,
  convertErrorToAnthropicError,
  convertErrorToOpenAIError,
  convertResponsesRequestToQwen,
  type EmbeddingsRequest,
  estimateAnthropicInputTokens,
  type ResponsesRequest,
  safeParseAnthropicCountTokensRequest,
  safeParseAnthropicMessagesRequest,
  safeParseChatCompletionRequest,
  safeParseEmbeddingsRequest,
  safeParseResponsesRequest,
} from '@qwen-relay/openai-adapter';
import type { RequestFuzzTarget } from './request-fuzz-target';

/** `{"error":{"message","type","param","code"}}` and nothing else. */
export function isOpenAIErrorEnvelope(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || Object.keys(body).length !== 1) return false;
  const error = (body as { error?: Record<string, unknown> }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof error.message === 'string' &&
    typeof error.type === 'string' &&
    'param' in error &&
    'code' in error
  );
}

const convertOpenAIError = (error: unknown) => {
  const { status, body } = convertErrorToOpenAIError(error);
  return { status, body };
};

/** `{"type":"error","error":{"type","message"}}` and nothing else. */
export function isAnthropicErrorEnvelope(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || Object.keys(body).length !== 2) return false;
  const { type, error } = body as { type?: unknown; error?: Record<string, unknown> };
  return (
    type === 'error' &&
    typeof error === 'object' &&
    error !== null &&
    Object.keys(error).length === 2 &&
    typeof error.type === 'string' &&
    typeof error.message === 'string'
  );
}

const convertAnthropicError = (error: unknown) => {
  const { status, body } = convertErrorToAnthropicError(error);
  return { status, body };
};

// a Claude Code-like turn: system blocks, a tool, a tool round trip, thinking, metadata
const ANTHROPIC_MESSAGES_BODY = {
  model: 'claude-sonnet-4-5',
  max_tokens: 4096,
  system: [{ type: 'text', text: 'be brief', cache_control: { type: 'ephemeral' } }],
  messages: [
    { role: 'user', content: [{ type: 'text', text: 'list files' }] },
    {
      role: 'assistant',
      content: [{ type: 'tool_use', id: 'toolu_01', name: 'ls', input: { path: '.' } }],
    },
    {
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: 'toolu_01', content: 'a.ts', is_error: false }],
    },
  ],
  tools: [
    {
      name: 'ls',
      description: 'list a directory',
      input_schema: { type: 'object', properties: { path: { type: 'string' } } },
    },
  ],
  tool_choice: { type: 'auto' },
  thinking: { type: 'enabled', budget_tokens: 1024 },
  metadata: { user_id: 'user_fuzz' },
} as const;

const ANTHROPIC_FIELD_PATHS = [
  'model',
  'messages',
  'messages.0',
  'messages.0.role',
  'messages.0.content',
  'messages.0.content.0',
  'messages.0.content.0.text',
  'messages.1.content.0',
  'messages.1.content.0.input',
  'messages.2.content.0',
  'messages.2.content.0.content',
  'messages.2.content.0.is_error',
  'system',
  'system.0',
  'system.0.text',
  'tools',
  'tools.0',
  'tools.0.input_schema',
  'tool_choice',
  'thinking',
  'thinking.budget_tokens',
  'metadata',
  'metadata.user_id',
  'stop_sequences',
  'temperature',
  'top_p',
  'top_k',
  'stream',
] as const;

/**
 * Every request parser of the proxy, each route with its own envelope check (the Responses
 * route, `/v1/responses`, registers its own here too).
 */
export const REQUEST_FUZZ_TARGETS: readonly RequestFuzzTarget[] = [
  {
    name: 'chat completions',
    path: '/v1/chat/completions',
    validBody: {
      model: 'coder-model',
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: [{ type: 'text', text: 'hi' }] },
      ],
      tools: [
        {
          type: 'function',
          function: { name: 'read_file', parameters: { type: 'object', properties: {} } },
        },
      ],
      metadata: { purpose: 'fuzz' },
    },
    fieldPaths: [
      'model',
      'messages',
      'messages.0',
      'messages.0.role',
      'messages.1.content',
      'messages.1.content.0',
      'messages.1.content.0.text',
      'stream',
      'stream_options',
      'stream_options.include_usage',
      'tools',
      'tools.0.function',
      'tools.0.function.parameters',
      'tool_choice',
      'temperature',
      'top_p',
      'max_tokens',
      'max_completion_tokens',
      'stop',
      'n',
      'seed',
      'reasoning_effort',
      'reasoning',
      'metadata',
      'response_format',
      'enable_thinking',
      'thinking_budget',
    ],
    safeParse: safeParseChatCompletionRequest,
    convert: (data) =>
      convertChatCompletionRequestToQwen({ request: data as ChatCompletionRequest }).payload,
    convertError: convertOpenAIError,
    isErrorEnvelope: isOpenAIErrorEnvelope,
  },
  {
    name: 'embeddings',
    path: '/v1/embeddings',
    validBody: { model: 'text-embedding-v4', input: ['a', 'b'] },
    fieldPaths: ['model', 'input', 'input.0', 'encoding_format', 'dimensions', 'user'],
    safeParse: safeParseEmbeddingsRequest,
    convert: (data) =>
      convertEmbeddingsRequestToQwen({ request: data as EmbeddingsRequest }).payload,
    convertError: convertOpenAIError,
    isErrorEnvelope: isOpenAIErrorEnvelope,
  },
  {
    name: 'responses',
    path: '/v1/responses',
    // a Codex-shaped turn: instructions, a tool round trip, store: false, reasoning
    validBody: {
      model: 'coder-model',
      instructions: 'You are a coding agent.',
      input: [
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'list files' }] },
        { type: 'function_call', call_id: 'call_1', name: 'shell', arguments: '{"cmd":"ls"}' },
        { type: 'function_call_output', call_id: 'call_1', output: 'a.ts' },
      ],
      tools: [
        {
          type: 'function',
          name: 'shell',
          parameters: { type: 'object', properties: { cmd: { type: 'string' } } },
        },
      ],
      tool_choice: 'auto',
      store: false,
      reasoning: { effort: 'medium' },
      text: { format: { type: 'text' } },
      metadata: { purpose: 'fuzz' },
    },
    fieldPaths: [
      'model',
      'instructions',
      'input',
      'input.0',
      'input.0.type',
      'input.0.role',
      'input.0.content',
      'input.0.content.0',
      'input.0.content.0.text',
      'input.1',
      'input.1.call_id',
      'input.1.arguments',
      'input.2',
      'input.2.output',
      'tools',
      'tools.0',
      'tools.0.type',
      'tools.0.parameters',
      'tool_choice',
      'parallel_tool_calls',
      'store',
      'previous_response_id',
      'stream',
      'reasoning',
      'reasoning.effort',
      'text',
      'text.format',
      'max_output_tokens',
      'temperature',
      'top_p',
      'user',
      'metadata',
    ],
    safeParse: safeParseResponsesRequest,
    convert: (data) =>
      convertResponsesRequestToQwen({ request: data as ResponsesRequest, modelAliases: {} })
        .payload,
    convertError: convertOpenAIError,
    isErrorEnvelope: isOpenAIErrorEnvelope,
  },
  {
    name: 'anthropic messages',
    path: '/v1/messages',
    validBody: ANTHROPIC_MESSAGES_BODY,
    fieldPaths: ['max_tokens', ...ANTHROPIC_FIELD_PATHS],
    safeParse: safeParseAnthropicMessagesRequest,
    convert: (data) =>
      convertAnthropicRequestToQwen({ request: data as AnthropicMessagesRequest, modelAliases: {} })
        .payload,
    convertError: convertAnthropicError,
    isErrorEnvelope: isAnthropicErrorEnvelope,
  },
  {
    name: 'anthropic count_tokens',
    path: '/v1/messages/count_tokens',
    validBody: (({ max_tokens: _maxTokens, ...body }) => body)(ANTHROPIC_MESSAGES_BODY),
    fieldPaths: ANTHROPIC_FIELD_PATHS,
    safeParse: safeParseAnthropicCountTokensRequest,
    // answered locally: the estimate is what the route computes from a valid body
    convert: (data) => estimateAnthropicInputTokens(data as AnthropicCountTokensRequest),
    convertError: convertAnthropicError,
    isErrorEnvelope: isAnthropicErrorEnvelope,
  },
];
