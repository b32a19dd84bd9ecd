import type { ReasoningEffort } from '../types/chat-completion-request';

/** A validated OpenAI Responses request (known fields typed, the rest kept but never sent upstream). */
export interface ResponsesRequest {
  model: string;
  input?: string | Record<string, unknown>[];
  instructions?: string | null;
  tools?: Record<string, unknown>[] | null;
  tool_choice?: string | Record<string, unknown> | null;
  parallel_tool_calls?: boolean | null;
  max_output_tokens?: number | null;
  temperature?: number | null;
  top_p?: number | null;
  reasoning?: {
    effort?: ReasoningEffort | null;
    summary?: string | null;
    [extra: string]: unknown;
  } | null;
  text?: {
    format?: Record<string, unknown> | null;
    verbosity?: string | null;
    [extra: string]: unknown;
  } | null;
  stream?: boolean | null;
  store?: boolean | null;
  previous_response_id?: string | null;
  user?: string | null;
  metadata?: Record<string, unknown> | null;
  include?: string[] | null;
  [extra: string]: unknown;
}

/** How client tool names map to the function names sent upstream (custom tools, namespaces). */
export interface ResponsesToolNames {
  /** upstream function names that stand for freeform (`custom`) tools: input travels as `{"input": …}` */
  custom: string[];
  /** upstream (qualified) function name → its namespace and the tool's own name */
  namespaced: Record<string, { namespace: string; name: string }>;
}

/** What a response echoes from its request (OpenAI's response object repeats these). */
export interface ResponsesRequestEcho {
  instructions: string | null;
  max_output_tokens: number | null;
  metadata: Record<string, unknown>;
  parallel_tool_calls: boolean;
  /** the response this one continues (served from the proxy's response store) */
  previous_response_id: string | null;
  reasoning: { effort: string | null; summary: string | null };
  /** true only when the response is kept (`store: true` on a server with a response store) */
  store: boolean;
  temperature: number | null;
  text: { format: Record<string, unknown>; [extra: string]: unknown };
  tool_choice: unknown;
  tools: unknown[];
  top_p: number | null;
  user: string | null;
}

/** An `output_text` content part. */
export interface ResponseOutputText {
  type: 'output_text';
  text: string;
  annotations: unknown[];
  logprobs?: unknown[];
}

/** A `summary_text` part of a reasoning item. */
export interface ResponseSummaryText {
  type: 'summary_text';
  text: string;
}

/** Status of an output item. */
export type ResponseItemStatus = 'in_progress' | 'completed' | 'incomplete';

/** An output item of a response. */
export type ResponseOutputItem =
  | {
      type: 'message';
      id: string;
      status: ResponseItemStatus;
      role: 'assistant';
      content: ResponseOutputText[];
    }
  | {
      type: 'reasoning';
      id: string;
      status?: ResponseItemStatus;
      summary: ResponseSummaryText[];
    }
  | {
      type: 'function_call';
      id: string;
      status: ResponseItemStatus;
      call_id: string;
      name: string;
      arguments: string;
      namespace?: string;
    }
  | {
      type: 'custom_tool_call';
      id: string;
      status: ResponseItemStatus;
      call_id: string;
      name: string;
      input: string;
    };

/** Token usage in Responses shape. */
export interface ResponseUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

/** Why a response is incomplete. */
export type ResponseIncompleteReason = 'max_output_tokens' | 'content_filter';

/** The OpenAI `response` object. */
export interface ResponseObject extends ResponsesRequestEcho {
  id: string;
  object: 'response';
  created_at: number;
  status: 'in_progress' | 'completed' | 'incomplete' | 'failed';
  error: { code: string; message: string } | null;
  incomplete_details: { reason: ResponseIncompleteReason } | null;
  model: string;
  output: ResponseOutputItem[];
  truncation: 'disabled';
  usage: ResponseUsage | null;
}

/** What a response needs from its request: the echo, the client's model name and tool names. */
export interface ResponseContext {
  responseId: string;
  createdAtInSeconds: number;
  clientModel: string;
  echo: ResponsesRequestEcho;
  toolNames: ResponsesToolNames;
}
