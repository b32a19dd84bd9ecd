import { convertChatCompletionRequestToQwen } from '../mapping/convert-chat-completion-request-to-qwen';
import { convertResponsesRequestToChat } from './convert-responses-request-to-chat';
import type { ResponseContext, ResponsesRequest } from './responses-types';

/** A Responses request mapped to the Qwen chat dialect, plus the context its response needs. */
export interface QwenResponsesRequest {
  /** the Qwen chat-completions body */
  payload: Record<string, unknown>;
  stream: boolean;
  context: ResponseContext;
  /** offered hosted tools left out (web search); the proxy names them in a response header */
  ignoredTools: string[];
}

/**
 * Responses request → Qwen chat payload (via the chat mapping: aliases, output-token clamp, the
 * model family's thinking knob, portal quirks) and the response context (a fresh `resp_` id, the
 * creation time, the request echo, the tool names). `responseId` and `createdAtInSeconds` may be
 * given (tests, a caller with its own ids).
 */
export function convertResponsesRequestToQwen({
  request,
  modelAliases,
  maxOutputTokens,
  portalQuirks = false,
  responseId,
  createdAtInSeconds,
}: {
  request: ResponsesRequest;
  modelAliases?: Readonly<Record<string, string>>;
  maxOutputTokens?: Readonly<Record<string, number>>;
  portalQuirks?: boolean;
  responseId?: string;
  createdAtInSeconds?: number;
}): QwenResponsesRequest {
  const { chatRequest, stream, echo, toolNames, ignoredTools } =
    convertResponsesRequestToChat(request);
  const { payload } = convertChatCompletionRequestToQwen({
    request: chatRequest,
    portalQuirks,
    ...(modelAliases === undefined ? {} : { modelAliases }),
    ...(maxOutputTokens === undefined ? {} : { maxOutputTokens }),
  });
  return {
    payload,
    stream,
    ignoredTools,
    context: {
      responseId: responseId ?? createResponseId(),
      createdAtInSeconds: createdAtInSeconds ?? Math.floor(Date.now() / 1000),
      clientModel: request.model,
      echo,
      toolNames,
    },
  };
}

/**
 * A new response id: `resp_` and 32 hex digits, 128 random bits. The bits come from a pool filled
 * by `crypto.getRandomValues` (Web Crypto: in workers too), 4 KiB at a time, as Node's own
 * `randomUUID` keeps one: it costs half of `randomUUID()` with its dashes removed (177 against 351
 * ns with the text measured, Node 20).
 */
export function createResponseId(): string {
  if (randomOffset + 16 > randomPool.length) {
    globalThis.crypto.getRandomValues(randomPool);
    randomOffset = 0;
  }
  let id = 'resp_';
  for (let index = randomOffset; index < randomOffset + 16; index++) {
    id += HEX_BYTES[randomPool[index] as number];
  }
  randomOffset += 16;
  return id;
}

const randomPool = new Uint8Array(4096);
// the pool starts empty: filled on the first id
let randomOffset = randomPool.length;
const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
