import type { ChatCompletion } from '../types/chat-completion';
import { emitFinish, emitStart, emitTextDelta } from './emit-responses-events';
import { createResponsesStreamTransformState } from './responses-stream-transform-state';
import type { ResponseContext } from './responses-types';

const encoder = new TextEncoder();

/**
 * A complete chat completion (a JSON upstream answer, e.g. the streaming fallback) re-emitted as
 * the Responses event stream, through the same event steps, ids and order as the stream
 * transform, so the client sees the same response either way.
 */
export function synthesizeResponsesStream({
  completion,
  context,
}: {
  completion: ChatCompletion;
  context: ResponseContext;
}): Uint8Array {
  const state = createResponsesStreamTransformState({ context });
  const choice = completion.choices[0];
  const message = choice?.message;
  let text = emitStart(state);
  if (message?.reasoning_content) {
    text += emitTextDelta({ state, kind: 'reasoning', delta: message.reasoning_content });
  }
  if (typeof message?.content === 'string' && message.content !== '') {
    text += emitTextDelta({ state, kind: 'message', delta: message.content });
  }
  (message?.tool_calls ?? []).forEach((toolCall, index) => {
    state.toolCalls.push({
      index,
      id: toolCall.id,
      name: toolCall.function.name,
      arguments: toolCall.function.arguments,
    });
  });
  state.finishReason = choice?.finish_reason ?? 'stop';
  state.usage = completion.usage ?? null;
  text += emitFinish(state);
  return encoder.encode(text);
}
