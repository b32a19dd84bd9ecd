import {
  type ChatCompletionRequest,
  convertChatCompletionRequestToQwen,
  convertEmbeddingsRequestToQwen,
  convertErrorToOpenAIError,
  convertResponsesRequestToQwen,
  type EmbeddingsRequest,
  type ResponsesRequest,
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

/**
 * Every request parser of the proxy. The Anthropic (`/v1/messages`) and Responses
 * (`/v1/responses`) routes register theirs here with their own envelope check.
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
];
