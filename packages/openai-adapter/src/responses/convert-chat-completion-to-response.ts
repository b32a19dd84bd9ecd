import type { ChatCompletion } from '../types/chat-completion';
import {
  convertToolCallToOutputItem,
  createFallbackCallId,
} from './convert-tool-call-to-output-item';
import { convertUsageToResponseUsage } from './convert-usage-to-response-usage';
import {
  createOutputItemId,
  createResponseObject,
  mapFinishReasonToIncompleteReason,
} from './create-response-object';
import type { ResponseContext, ResponseObject, ResponseOutputItem } from './responses-types';

/**
 * An OpenAI chat completion (already mapped from Qwen) → a Responses `response`: a `reasoning`
 * item from `reasoning_content`, a `message` item with the text, then one item per tool call in
 * the upstream's order; `length` / `content_filter` make it `incomplete` (and its calls
 * `incomplete`, never complete); usage with cached and reasoning tokens; the client's model.
 */
export function convertChatCompletionToResponse({
  completion,
  context,
}: {
  completion: ChatCompletion;
  context: ResponseContext;
}): ResponseObject {
  const choice = completion.choices[0];
  const output: ResponseOutputItem[] = [];
  const incompleteReason = mapFinishReasonToIncompleteReason(choice?.finish_reason ?? null);
  const itemStatus = incompleteReason === undefined ? 'completed' : 'incomplete';
  const message = choice?.message;
  if (message?.reasoning_content) {
    output.push({
      type: 'reasoning',
      id: createOutputItemId({ context, prefix: 'rs', outputIndex: output.length }),
      summary: [{ type: 'summary_text', text: message.reasoning_content }],
    });
  }
  if (typeof message?.content === 'string' && message.content !== '') {
    output.push({
      type: 'message',
      id: createOutputItemId({ context, prefix: 'msg', outputIndex: output.length }),
      status: itemStatus,
      role: 'assistant',
      content: [{ type: 'output_text', text: message.content, annotations: [] }],
    });
  }
  (message?.tool_calls ?? []).forEach((toolCall, toolCallIndex) => {
    output.push(
      convertToolCallToOutputItem({
        context,
        outputIndex: output.length,
        callId: toolCall.id || createFallbackCallId({ context, toolCallIndex }),
        name: toolCall.function.name,
        args: toolCall.function.arguments,
        status: itemStatus,
      }),
    );
  });
  return createResponseObject({
    context,
    status: incompleteReason === undefined ? 'completed' : 'incomplete',
    output,
    usage: completion.usage ? convertUsageToResponseUsage(completion.usage) : null,
    ...(incompleteReason === undefined ? {} : { incompleteReason }),
  });
}
