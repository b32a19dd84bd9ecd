import type { ChatPlan } from './parse-chat-plan';

/** A tool call of the reply, with its arguments already split into stream fragments. */
export interface ScriptedToolCall {
  id: string;
  name: string;
  argumentsJson: string;
  /** JSON-encoded string literals of the argument fragments, in order */
  encodedArgumentPieces: string[];
}

/** Everything one reply says, computed once and shared by the JSON and SSE writers. */
export interface ReplyScript {
  /** JSON-encoded string literals (quotes included), so chunks need no per-chunk stringify */
  encodedReasoningPieces: readonly string[];
  encodedContentPieces: readonly string[];
  reasoningText: string;
  contentText: string;
  toolCalls: ScriptedToolCall[];
  finishReason: 'stop' | 'tool_calls';
  usage: Record<string, unknown>;
}

interface TextPieces {
  text: string;
  encoded: string[];
}

const CONTENT_PHRASE = 'Hello from the fake Qwen upstream. ';
const REASONING_PHRASE = 'Let me think about this step by step. ';
const pieceCache = new Map<string, TextPieces>();

/** `count` pieces of `size` characters cut from a repeated phrase (cached: bench hot path). */
function getTextPieces({
  phrase,
  count,
  size,
}: {
  phrase: string;
  count: number;
  size: number;
}): TextPieces {
  const key = `${phrase.length}:${count}:${size}`;
  const cached = pieceCache.get(key);
  if (cached) return cached;
  const text = phrase.repeat(Math.ceil((count * size) / phrase.length)).slice(0, count * size);
  const encoded: string[] = [];
  for (let index = 0; index < count; index += 1) {
    encoded.push(JSON.stringify(text.slice(index * size, (index + 1) * size)));
  }
  if (pieceCache.size > 64) pieceCache.clear();
  const pieces = { text, encoded };
  pieceCache.set(key, pieces);
  return pieces;
}

/** A given answer text in up to `count` stream pieces. */
function splitText({ text, count }: { text: string; count: number }): TextPieces {
  const size = Math.max(1, Math.ceil(text.length / Math.max(1, count)));
  const encoded: string[] = [];
  for (let start = 0; start < text.length; start += size) {
    encoded.push(JSON.stringify(text.slice(start, start + size)));
  }
  return { text, encoded };
}

/** Splits tool arguments into up to three fragments, like the captured streams do. */
function splitArguments(argumentsJson: string): string[] {
  const pieceCount = Math.min(3, argumentsJson.length);
  const size = Math.ceil(argumentsJson.length / pieceCount);
  const pieces: string[] = [];
  for (let start = 0; start < argumentsJson.length; start += size) {
    pieces.push(JSON.stringify(argumentsJson.slice(start, start + size)));
  }
  return pieces;
}

/** Builds the reply for a plan: reasoning when thinking, tool calls when planned, else text. */
export function createReplyScript({
  plan,
  chunkCount,
  chunkSize,
  reasoningChunkCount,
  promptBytes,
  createToolCallId,
  toolCallsFinishReason = 'tool_calls',
}: {
  plan: ChatPlan;
  chunkCount: number;
  chunkSize: number;
  reasoningChunkCount: number;
  promptBytes: number;
  createToolCallId: () => string;
  /** 'stop' reproduces the reported upstream that says stop after streaming tool calls */
  toolCallsFinishReason?: 'tool_calls' | 'stop';
}): ReplyScript {
  const reasoning = plan.thinking
    ? getTextPieces({ phrase: REASONING_PHRASE, count: reasoningChunkCount, size: chunkSize })
    : { text: '', encoded: [] };
  const hasToolCalls = plan.toolCalls.length > 0;
  const content = hasToolCalls
    ? { text: '', encoded: [] }
    : plan.jsonContent !== undefined
      ? splitText({ text: plan.jsonContent, count: chunkCount })
      : getTextPieces({ phrase: CONTENT_PHRASE, count: chunkCount, size: chunkSize });
  const toolCalls = plan.toolCalls.map((call) => ({
    id: createToolCallId(),
    name: call.name,
    argumentsJson: call.argumentsJson,
    encodedArgumentPieces: splitArguments(call.argumentsJson),
  }));
  const promptTokens = Math.max(1, Math.ceil(promptBytes / 4));
  const reasoningTokens = reasoning.encoded.length;
  const textTokens =
    content.encoded.length +
    toolCalls.reduce((sum, call) => sum + call.encodedArgumentPieces.length, 0);
  const completionTokens = reasoningTokens + textTokens;
  const usage: Record<string, unknown> = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
  if (plan.thinking) {
    usage.completion_tokens_details = {
      reasoning_tokens: reasoningTokens,
      text_tokens: textTokens,
    };
  }
  usage.prompt_tokens_details = { cached_tokens: 0 };
  return {
    encodedReasoningPieces: reasoning.encoded,
    encodedContentPieces: content.encoded,
    reasoningText: reasoning.text,
    contentText: content.text,
    toolCalls,
    finishReason: hasToolCalls ? toolCallsFinishReason : 'stop',
    usage,
  };
}
