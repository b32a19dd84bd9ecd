import { isPlainObject } from './field-checks';
import { createValidationIssue, type ValidationIssue } from './validation-issue';

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool']);
// part types Qwen's compatible mode understands; others would fail upstream with a vaguer message
const USER_PART_TYPES = new Set(['text', 'image_url', 'input_audio', 'video', 'video_url']);
const TEXT_ONLY_PART_TYPES = new Set(['text']);
const ASSISTANT_PART_TYPES = new Set(['text', 'refusal']);

/** Validates one entry of `messages`; `param` is its path, e.g. `messages[2]`. */
export function validateChatMessage({
  message,
  param,
}: {
  message: unknown;
  param: string;
}): ValidationIssue | undefined {
  if (!isPlainObject(message))
    return createValidationIssue({ param, reason: 'expected an object.' });
  const { role } = message;
  if (typeof role !== 'string' || !ROLES.has(role)) {
    return createValidationIssue({
      param: `${param}.role`,
      reason: `expected one of 'system', 'developer', 'user', 'assistant', 'tool'.`,
    });
  }
  if (message.name !== undefined && typeof message.name !== 'string') {
    return createValidationIssue({ param: `${param}.name`, reason: 'expected a string.' });
  }
  const contentParam = `${param}.content`;
  switch (role) {
    case 'user':
      return validateContent({
        content: message.content,
        param: contentParam,
        partTypes: USER_PART_TYPES,
      });
    case 'system':
    case 'developer':
      return validateContent({
        content: message.content,
        param: contentParam,
        partTypes: TEXT_ONLY_PART_TYPES,
      });
    case 'tool': {
      const toolCallId = message.tool_call_id;
      if (typeof toolCallId !== 'string' || toolCallId === '') {
        return createValidationIssue({
          param: `${param}.tool_call_id`,
          reason: 'tool messages need the id of the tool call they answer.',
        });
      }
      return validateContent({
        content: message.content,
        param: contentParam,
        partTypes: TEXT_ONLY_PART_TYPES,
      });
    }
    default:
      return validateAssistantMessage({ message, param });
  }
}

function validateAssistantMessage({
  message,
  param,
}: {
  message: Record<string, unknown>;
  param: string;
}): ValidationIssue | undefined {
  const toolCalls = message.tool_calls;
  if (toolCalls !== undefined && toolCalls !== null) {
    if (!Array.isArray(toolCalls)) {
      return createValidationIssue({ param: `${param}.tool_calls`, reason: 'expected an array.' });
    }
    for (let index = 0; index < toolCalls.length; index++) {
      const issue = validateToolCall({
        toolCall: toolCalls[index],
        param: `${param}.tool_calls[${index}]`,
      });
      if (issue) return issue;
    }
  }
  const { content } = message;
  // content may be absent or null on assistant turns (tool calls, or an empty answer)
  if (content === undefined || content === null) return undefined;
  return validateContent({ content, param: `${param}.content`, partTypes: ASSISTANT_PART_TYPES });
}

function validateToolCall({
  toolCall,
  param,
}: {
  toolCall: unknown;
  param: string;
}): ValidationIssue | undefined {
  if (!isPlainObject(toolCall))
    return createValidationIssue({ param, reason: 'expected an object.' });
  if (typeof toolCall.id !== 'string' || toolCall.id === '') {
    return createValidationIssue({ param: `${param}.id`, reason: 'expected a non-empty string.' });
  }
  if (toolCall.type !== undefined && toolCall.type !== 'function') {
    return createValidationIssue({ param: `${param}.type`, reason: `expected 'function'.` });
  }
  const fn = toolCall.function;
  if (!isPlainObject(fn)) {
    return createValidationIssue({ param: `${param}.function`, reason: 'expected an object.' });
  }
  if (typeof fn.name !== 'string' || fn.name === '') {
    return createValidationIssue({
      param: `${param}.function.name`,
      reason: 'expected a non-empty string.',
    });
  }
  if (typeof fn.arguments !== 'string') {
    return createValidationIssue({
      param: `${param}.function.arguments`,
      reason: 'expected a string (JSON-encoded arguments).',
    });
  }
  return undefined;
}

function validateContent({
  content,
  param,
  partTypes,
}: {
  content: unknown;
  param: string;
  partTypes: ReadonlySet<string>;
}): ValidationIssue | undefined {
  if (typeof content === 'string') return undefined;
  if (!Array.isArray(content)) {
    return createValidationIssue({
      param,
      reason: 'expected a string or an array of content parts.',
    });
  }
  for (let index = 0; index < content.length; index++) {
    const part: unknown = content[index];
    const partParam = `${param}[${index}]`;
    if (!isPlainObject(part))
      return createValidationIssue({ param: partParam, reason: 'expected an object.' });
    const { type } = part;
    if (typeof type !== 'string' || !partTypes.has(type)) {
      const allowed = [...partTypes].map((item) => `'${item}'`).join(', ');
      return createValidationIssue({
        param: `${partParam}.type`,
        reason: `expected one of ${allowed}.`,
      });
    }
    if (type === 'text' && typeof part.text !== 'string') {
      return createValidationIssue({ param: `${partParam}.text`, reason: 'expected a string.' });
    }
    if (type === 'image_url') {
      const imageUrl = part.image_url;
      const url = isPlainObject(imageUrl) ? imageUrl.url : imageUrl;
      if (typeof url !== 'string' || url === '') {
        return createValidationIssue({
          param: `${partParam}.image_url.url`,
          reason: 'expected a non-empty URL or data: URI.',
        });
      }
    }
  }
  return undefined;
}
