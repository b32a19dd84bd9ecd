import { InvalidRequestError } from '../errors/invalid-request-error';
import type {
  ChatContentPart,
  ChatMessage,
  ChatMessageToolCall,
} from '../types/chat-completion-request';
import { isPlainObject } from '../validation/field-checks';
import { NO_MEMBERS } from '../validation/no-members';
import { qualifyNamespacedToolName } from './convert-responses-tools';

const MESSAGE_ROLES = new Set(['user', 'system', 'developer', 'assistant']);

/**
 * Responses `input` → chat messages. A string is one user message. Items: `message` (or a bare
 * `{role, content}`) with input_text / input_image / output_text / refusal parts; `function_call`
 * and Codex's `custom_tool_call` — consecutive calls become one assistant message with several
 * tool calls (attached to the assistant text right before them), and the outputs that follow are
 * put in the calls' order, as chat completions require; `function_call_output` /
 * `custom_tool_call_output` → tool messages; `reasoning` → `reasoning_content` of the next
 * assistant message. Anything that needs server state or a hosted tool is refused by name.
 */
export function convertResponsesInputToMessages(input: string | readonly unknown[]): ChatMessage[] {
  if (typeof input === 'string') return [{ role: 'user', content: input }];
  const messages: ChatMessage[] = [];
  let pendingReasoning: string | undefined;
  // the assistant message collecting the current run of calls, and its outputs (in arrival order)
  let callRun: { message: ChatMessage; callIds: string[]; outputs: ChatMessage[] } | undefined;

  const closeCallRun = () => {
    if (!callRun) return;
    const order = callRun.callIds;
    const rank = (message: ChatMessage) => {
      const position = order.indexOf(String(message.tool_call_id));
      return position === -1 ? order.length : position;
    };
    messages.push(...[...callRun.outputs].sort((a, b) => rank(a) - rank(b)));
    callRun = undefined;
  };
  const takeReasoning = (message: ChatMessage): ChatMessage => {
    if (pendingReasoning === undefined) return message;
    const withReasoning = { ...NO_MEMBERS, ...message, reasoning_content: pendingReasoning };
    pendingReasoning = undefined;
    return withReasoning;
  };

  input.forEach((item, index) => {
    const param = `input[${index}]`;
    if (!isPlainObject(item)) throw invalidItem({ param, reason: 'expected an object.' });
    const type = item.type ?? (item.role !== undefined ? 'message' : undefined);
    switch (type) {
      case 'message': {
        closeCallRun();
        const message = convertMessageItem({ item, param });
        messages.push(message.role === 'assistant' ? takeReasoning(message) : message);
        break;
      }
      case 'function_call':
      case 'custom_tool_call': {
        const toolCall = convertCallItem({ item, param, isCustom: type === 'custom_tool_call' });
        if (callRun && callRun.outputs.length > 0) closeCallRun();
        if (!callRun) {
          const last = messages.at(-1);
          // assistant text directly before the calls is the same assistant turn
          const message =
            last?.role === 'assistant' && last.tool_calls === undefined
              ? last
              : takeReasoning({ role: 'assistant', content: null });
          if (message !== last) messages.push(message);
          else if (pendingReasoning !== undefined) {
            message.reasoning_content = `${message.reasoning_content ?? ''}${pendingReasoning}`;
            pendingReasoning = undefined;
          }
          message.tool_calls = [];
          callRun = { message, callIds: [], outputs: [] };
        }
        callRun.message.tool_calls?.push(toolCall);
        callRun.callIds.push(toolCall.id);
        break;
      }
      case 'function_call_output':
      case 'custom_tool_call_output': {
        const output = convertOutputItem({ item, param });
        if (callRun) callRun.outputs.push(output);
        else messages.push(output);
        break;
      }
      case 'reasoning': {
        const text = readReasoningText(item);
        if (text !== '') pendingReasoning = (pendingReasoning ?? '') + text;
        break;
      }
      case 'item_reference':
        throw new InvalidRequestError({
          message: `Invalid value for '${param}.type': 'item_reference' needs stored responses, which qwen-relay does not keep; send the referenced item itself.`,
          param: `${param}.type`,
        });
      default:
        throw new InvalidRequestError({
          message: `Invalid value for '${param}.type': input item type '${String(type)}' is not supported by qwen-relay (supported: message, function_call, function_call_output, custom_tool_call, custom_tool_call_output, reasoning).`,
          param: `${param}.type`,
        });
    }
  });
  closeCallRun();
  mergeLeadingSystemMessages(messages);
  if (messages.length === 0) {
    throw new InvalidRequestError({
      message: "Invalid value for 'input': expected at least one message.",
      param: 'input',
    });
  }
  return messages;
}

function convertMessageItem({
  item,
  param,
}: {
  item: Record<string, unknown>;
  param: string;
}): ChatMessage {
  const role = item.role;
  if (typeof role !== 'string' || !MESSAGE_ROLES.has(role)) {
    throw invalidItem({
      param: `${param}.role`,
      reason: "expected one of 'user', 'system', 'developer', 'assistant'.",
    });
  }
  const content = item.content;
  if (typeof content === 'string') return { role: role as ChatMessage['role'], content };
  if (!Array.isArray(content)) {
    throw invalidItem({
      param: `${param}.content`,
      reason: 'expected a string or an array of parts.',
    });
  }
  const parts = content.map((part, partIndex) =>
    convertContentPart({ part, param: `${param}.content[${partIndex}]` }),
  );
  // only user messages take images; every other role gets its text joined
  if (role === 'user' && parts.some((part) => part.type !== 'text')) {
    return { role, content: parts };
  }
  if (parts.some((part) => part.type !== 'text')) {
    throw invalidItem({
      param: `${param}.content`,
      reason: `images are only supported in user messages, not in '${role}' messages.`,
    });
  }
  const text = parts.map((part) => (part.type === 'text' ? part.text : '')).join('');
  return { role: role as ChatMessage['role'], content: text };
}

function convertContentPart({ part, param }: { part: unknown; param: string }): ChatContentPart {
  if (!isPlainObject(part)) throw invalidItem({ param, reason: 'expected an object.' });
  switch (part.type) {
    case 'input_text':
    case 'output_text':
    case 'text':
      if (typeof part.text !== 'string') {
        throw invalidItem({ param: `${param}.text`, reason: 'expected a string.' });
      }
      return { type: 'text', text: part.text };
    case 'refusal':
      return { type: 'text', text: typeof part.refusal === 'string' ? part.refusal : '' };
    case 'input_image': {
      if (typeof part.image_url !== 'string' || part.image_url === '') {
        throw invalidItem({
          param: `${param}.image_url`,
          reason:
            'expected an image URL or a data URL (file_id needs the Files API, which qwen-relay does not serve).',
        });
      }
      const detail = part.detail;
      return {
        type: 'image_url',
        image_url:
          detail === 'low' || detail === 'high' || detail === 'auto'
            ? { url: part.image_url, detail }
            : { url: part.image_url },
      };
    }
    default:
      throw invalidItem({
        param: `${param}.type`,
        reason: `content part type '${String(part.type)}' is not supported (supported: input_text, input_image, output_text, refusal).`,
      });
  }
}

function convertCallItem({
  item,
  param,
  isCustom,
}: {
  item: Record<string, unknown>;
  param: string;
  isCustom: boolean;
}): ChatMessageToolCall {
  const callId = readNonEmptyString({ item, field: 'call_id', param });
  const name = readNonEmptyString({ item, field: 'name', param });
  const namespace = typeof item.namespace === 'string' ? item.namespace : '';
  let args: string;
  if (isCustom) {
    if (typeof item.input !== 'string') {
      throw invalidItem({ param: `${param}.input`, reason: 'expected a string.' });
    }
    args = JSON.stringify({ input: item.input });
  } else {
    if (typeof item.arguments !== 'string') {
      throw invalidItem({ param: `${param}.arguments`, reason: 'expected a JSON string.' });
    }
    args = item.arguments;
  }
  return {
    id: callId,
    type: 'function',
    function: { name: qualifyNamespacedToolName({ namespace, name }), arguments: args },
  };
}

function convertOutputItem({
  item,
  param,
}: {
  item: Record<string, unknown>;
  param: string;
}): ChatMessage {
  const callId = readNonEmptyString({ item, field: 'call_id', param });
  return {
    role: 'tool',
    tool_call_id: callId,
    content: readOutputText({ output: item.output, param }),
  };
}

// a tool output is a string or a list of parts; text parts are kept, in order
function readOutputText({ output, param }: { output: unknown; param: string }): string {
  if (typeof output === 'string') return output;
  if (Array.isArray(output)) {
    return output
      .map((part) => (isPlainObject(part) && typeof part.text === 'string' ? part.text : ''))
      .join('');
  }
  if (isPlainObject(output) && typeof output.content === 'string') return output.content;
  throw invalidItem({
    param: `${param}.output`,
    reason: 'expected a string or an array of parts.',
  });
}

// raw reasoning text when the client sent it back, else the summary; encrypted content is opaque
function readReasoningText(item: Record<string, unknown>): string {
  const collect = (parts: unknown): string =>
    Array.isArray(parts)
      ? parts
          .map((part) => (isPlainObject(part) && typeof part.text === 'string' ? part.text : ''))
          .filter((text) => text !== '')
          .join('\n\n')
      : '';
  const content = collect(item.content);
  return content !== '' ? content : collect(item.summary);
}

function readNonEmptyString({
  item,
  field,
  param,
}: {
  item: Record<string, unknown>;
  field: string;
  param: string;
}): string {
  const value = item[field];
  if (typeof value === 'string' && value !== '') return value;
  throw invalidItem({ param: `${param}.${field}`, reason: 'expected a non-empty string.' });
}

function invalidItem({ param, reason }: { param: string; reason: string }): InvalidRequestError {
  return new InvalidRequestError({ message: `Invalid value for '${param}': ${reason}`, param });
}

// Codex sends its permission notes as developer messages before the conversation; one system
// message at the start is what every chat upstream accepts
function mergeLeadingSystemMessages(messages: ChatMessage[]): void {
  let count = 0;
  while (
    count < messages.length &&
    (messages[count]?.role === 'system' || messages[count]?.role === 'developer') &&
    typeof messages[count]?.content === 'string'
  ) {
    count++;
  }
  if (count < 2) return;
  const text = messages
    .slice(0, count)
    .map((message) => message.content as string)
    .join('\n\n');
  messages.splice(0, count, { role: 'system', content: text });
}
