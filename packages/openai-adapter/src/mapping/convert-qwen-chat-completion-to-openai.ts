import { MalformedUpstreamResponseError } from '../errors/malformed-upstream-response-error';
import { createToolCallId, createToolCallName } from '../tool-calls/synthesize-tool-call-fields';
import type {
  ChatCompletion,
  ChatCompletionChoice,
  ChatCompletionToolCall,
} from '../types/chat-completion';
import { isPlainObject } from '../validation/field-checks';
import { convertErrorFinish, convertUpstreamErrorObject } from './convert-upstream-error-object';
import { convertUsage } from './convert-usage';
import { normalizeFinishReason } from './normalize-finish-reason';

/**
 * Qwen JSON completion → OpenAI `chat.completion`: the client's model name, `reasoning_content`
 * kept as an extension field, tool calls normalised (string arguments, ids present), finish
 * reason normalised and usage incl. cached tokens. Throws UpstreamStreamError for an in-band
 * error (`error` object or `finish_reason: "error_finish"`) and MalformedUpstreamResponseError for a
 * body that is not a completion.
 */
export function convertQwenChatCompletionToOpenAI({
  body,
  clientModel,
}: {
  body: unknown;
  clientModel: string;
}): ChatCompletion {
  if (!isPlainObject(body))
    throw new MalformedUpstreamResponseError({
      message: 'upstream completion is not a JSON object',
    });
  if (body.error !== undefined && body.error !== null) throw convertUpstreamErrorObject(body.error);
  if (!Array.isArray(body.choices)) {
    throw new MalformedUpstreamResponseError({
      message: 'upstream completion has no choices array',
    });
  }
  const id = typeof body.id === 'string' && body.id !== '' ? body.id : 'chatcmpl-qwen-relay';
  const choices = body.choices.map((choice: unknown, position: number) =>
    convertChoice({ choice, position, completionId: id }),
  );
  const completion: ChatCompletion = {
    id,
    object: 'chat.completion',
    created: typeof body.created === 'number' ? body.created : 0,
    model: clientModel,
    choices,
  };
  const usage = convertUsage(body.usage);
  if (usage) completion.usage = usage;
  if (typeof body.system_fingerprint === 'string' || body.system_fingerprint === null) {
    completion.system_fingerprint = body.system_fingerprint;
  }
  return completion;
}

function convertChoice({
  choice,
  position,
  completionId,
}: {
  choice: unknown;
  position: number;
  completionId: string;
}): ChatCompletionChoice {
  if (!isPlainObject(choice) || !isPlainObject(choice.message)) {
    throw new MalformedUpstreamResponseError({
      message: 'upstream completion choice has no message',
    });
  }
  const { message } = choice;
  const content = typeof message.content === 'string' ? message.content : null;
  if (choice.finish_reason === 'error_finish') throw convertErrorFinish(content ?? '');
  const index = typeof choice.index === 'number' ? choice.index : position;
  const toolCalls = Array.isArray(message.tool_calls)
    ? message.tool_calls.flatMap((toolCall: unknown, position: number) => {
        const converted = convertToolCall({ toolCall, position, completionId, choiceIndex: index });
        return converted === undefined ? [] : [converted];
      })
    : [];
  const hasToolCalls = toolCalls.length > 0;
  const converted: ChatCompletionChoice = {
    index,
    message: {
      role: 'assistant',
      // OpenAI sends null content next to tool calls; Qwen sends ""
      content: hasToolCalls && content === '' ? null : content,
      refusal: null,
    },
    finish_reason: normalizeFinishReason({ finishReason: choice.finish_reason, hasToolCalls }),
    logprobs: choice.logprobs ?? null,
  };
  if (typeof message.reasoning_content === 'string')
    converted.message.reasoning_content = message.reasoning_content;
  if (hasToolCalls) converted.message.tool_calls = toolCalls;
  return converted;
}

// the non-streaming half of the tool-call repair (repairToolCallChunk streams): the upstream's id
// and name kept, what is missing synthesised the same way, only an empty phantom dropped
function convertToolCall({
  toolCall,
  position,
  completionId,
  choiceIndex,
}: {
  toolCall: unknown;
  position: number;
  completionId: string;
  choiceIndex: number;
}): ChatCompletionToolCall | undefined {
  const record = isPlainObject(toolCall) ? toolCall : {};
  const fn = isPlainObject(record.function) ? record.function : {};
  const args = fn.arguments;
  const id = typeof record.id === 'string' ? record.id : '';
  const name = typeof fn.name === 'string' ? fn.name : '';
  if (id === '' && name === '' && (args === undefined || args === '')) return undefined;
  const index = typeof record.index === 'number' ? record.index : position;
  return {
    id: id !== '' ? id : createToolCallId({ completionId, choiceIndex, index }),
    type: 'function',
    function: {
      name: name !== '' ? name : createToolCallName(index),
      // some providers return parsed arguments; OpenAI clients expect the JSON text
      arguments: typeof args === 'string' ? args : args === undefined ? '{}' : JSON.stringify(args),
    },
  };
}
