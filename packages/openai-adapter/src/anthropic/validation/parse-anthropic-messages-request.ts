import { InvalidRequestError, NestingTooDeepError } from '../../errors/invalid-request-error';
import { isPlainObject } from '../../validation/field-checks';
import { findNestingIssue } from '../../validation/find-nesting-issue';
import type { SafeParseResult } from '../../validation/run-field-checks';
import type {
  AnthropicCountTokensRequest,
  AnthropicMessagesRequest,
} from '../types/anthropic-messages-request';

/** A problem found in a request: the Anthropic-style path (`messages.0.content`) and the text after it. */
interface Issue {
  path: string;
  reason: string;
  /** a body nested too deep (QWEN_RELAY_NESTING_TOO_DEEP): `reason` is the whole message */
  nestingTooDeep?: true;
}

const REQUIRED = 'Field required';
const TOOL_CHOICE_TYPES = ['auto', 'any', 'tool', 'none'];
const THINKING_TYPES = ['enabled', 'disabled', 'adaptive'];

/**
 * Validates a `POST /v1/messages` body the way the Anthropic API does: `model`, `max_tokens` and
 * `messages` are required (never filled in), types and ranges are checked, and the message says
 * `<path>: <reason>` like the official API. Unknown fields are accepted. A body nested deeper
 * than MAX_REQUEST_NESTING_DEPTH is refused first, naming its top-level field.
 */
export function safeParseAnthropicMessagesRequest(
  body: unknown,
): SafeParseResult<AnthropicMessagesRequest> {
  return toResult<AnthropicMessagesRequest>(findIssue({ body, requireMaxTokens: true }));
}

/** Validates a `POST /v1/messages/count_tokens` body: like messages, without `max_tokens`. */
export function safeParseAnthropicCountTokensRequest(
  body: unknown,
): SafeParseResult<AnthropicCountTokensRequest> {
  return toResult<AnthropicCountTokensRequest>(findIssue({ body, requireMaxTokens: false }));
}

function toResult<T>(found: { issue?: Issue; body: unknown }): SafeParseResult<T> {
  if (found.issue === undefined) return { success: true, data: found.body as T };
  const { path, reason, nestingTooDeep } = found.issue;
  if (nestingTooDeep) {
    return { success: false, error: new NestingTooDeepError({ message: reason, param: path }) };
  }
  return {
    success: false,
    error: new InvalidRequestError({
      message: path === '' ? reason : `${path}: ${reason}`,
      param: path || null,
    }),
  };
}

function findIssue({ body, requireMaxTokens }: { body: unknown; requireMaxTokens: boolean }): {
  issue?: Issue;
  body: unknown;
} {
  const issue = checkBody({ body, requireMaxTokens });
  return issue === undefined ? { body } : { issue, body };
}

function checkBody({
  body,
  requireMaxTokens,
}: {
  body: unknown;
  requireMaxTokens: boolean;
}): Issue | undefined {
  if (!isPlainObject(body)) return { path: '', reason: 'The request body must be a JSON object.' };
  // before any check walks the body: thousands of levels crash recursive code downstream
  const nesting = findNestingIssue({ body });
  if (nesting) return { path: nesting.param ?? '', reason: nesting.message, nestingTooDeep: true };
  if (body.model === undefined) return { path: 'model', reason: REQUIRED };
  if (typeof body.model !== 'string' || body.model === '') {
    return { path: 'model', reason: 'Input should be a non-empty string' };
  }
  if (requireMaxTokens) {
    if (body.max_tokens === undefined) return { path: 'max_tokens', reason: REQUIRED };
    if (!isInteger(body.max_tokens) || body.max_tokens < 1) {
      return {
        path: 'max_tokens',
        reason: 'Input should be an integer greater than or equal to 1',
      };
    }
  }
  if (body.messages === undefined) return { path: 'messages', reason: REQUIRED };
  if (!Array.isArray(body.messages))
    return { path: 'messages', reason: 'Input should be a valid list' };
  if (body.messages.length === 0) {
    return { path: 'messages', reason: 'at least one message is required' };
  }
  for (let index = 0; index < body.messages.length; index++) {
    const issue = checkMessage({ message: body.messages[index], path: `messages.${index}` });
    if (issue) return issue;
  }
  return (
    checkSystem(body.system) ??
    checkNumber({ value: body.temperature, path: 'temperature', min: 0, max: 1 }) ??
    checkNumber({ value: body.top_p, path: 'top_p', min: 0, max: 1 }) ??
    checkTopK(body.top_k) ??
    checkStopSequences(body.stop_sequences) ??
    checkOptionalType({ value: body.stream, path: 'stream', type: 'boolean' }) ??
    checkTools(body.tools) ??
    checkToolChoice(body.tool_choice) ??
    checkThinking({
      thinking: body.thinking,
      maxTokens: requireMaxTokens ? body.max_tokens : undefined,
    }) ??
    checkMetadata(body.metadata)
  );
}

function checkMessage({ message, path }: { message: unknown; path: string }): Issue | undefined {
  if (!isPlainObject(message)) return { path, reason: 'Input should be a valid dictionary' };
  if (message.role === undefined) return { path: `${path}.role`, reason: REQUIRED };
  if (message.role !== 'user' && message.role !== 'assistant') {
    return { path: `${path}.role`, reason: "Input should be 'user' or 'assistant'" };
  }
  if (message.content === undefined) return { path: `${path}.content`, reason: REQUIRED };
  return checkContent({ content: message.content, path: `${path}.content` });
}

function checkContent({ content, path }: { content: unknown; path: string }): Issue | undefined {
  if (typeof content === 'string') return undefined;
  if (!Array.isArray(content)) return { path, reason: 'Input should be a valid string or list' };
  for (let index = 0; index < content.length; index++) {
    const issue = checkBlock({ block: content[index], path: `${path}.${index}` });
    if (issue) return issue;
  }
  return undefined;
}

function checkBlock({ block, path }: { block: unknown; path: string }): Issue | undefined {
  if (!isPlainObject(block)) return { path, reason: 'Input should be a valid dictionary' };
  if (typeof block.type !== 'string') return { path: `${path}.type`, reason: REQUIRED };
  switch (block.type) {
    case 'text':
      return typeof block.text === 'string'
        ? undefined
        : { path: `${path}.text`, reason: 'Input should be a valid string' };
    case 'image':
      return isPlainObject(block.source) ? undefined : { path: `${path}.source`, reason: REQUIRED };
    case 'tool_use':
      if (typeof block.id !== 'string') return { path: `${path}.id`, reason: REQUIRED };
      if (typeof block.name !== 'string') return { path: `${path}.name`, reason: REQUIRED };
      return undefined;
    case 'tool_result':
      if (typeof block.tool_use_id !== 'string') {
        return { path: `${path}.tool_use_id`, reason: REQUIRED };
      }
      if (block.content === undefined) return undefined;
      return checkContent({ content: block.content, path: `${path}.content` });
    default:
      return undefined;
  }
}

function checkSystem(system: unknown): Issue | undefined {
  if (system === undefined || typeof system === 'string') return undefined;
  if (!Array.isArray(system))
    return { path: 'system', reason: 'Input should be a valid string or list' };
  for (let index = 0; index < system.length; index++) {
    const block = system[index];
    if (!isPlainObject(block) || block.type !== 'text' || typeof block.text !== 'string') {
      return {
        path: `system.${index}`,
        reason: "Input should be a text block ({type: 'text', text})",
      };
    }
  }
  return undefined;
}

function checkNumber({
  value,
  path,
  min,
  max,
}: {
  value: unknown;
  path: string;
  min: number;
  max: number;
}): Issue | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return { path, reason: 'Input should be a valid number' };
  }
  if (value < min) return { path, reason: `Input should be greater than or equal to ${min}` };
  if (value > max) return { path, reason: `Input should be less than or equal to ${max}` };
  return undefined;
}

function checkTopK(value: unknown): Issue | undefined {
  if (value === undefined) return undefined;
  return isInteger(value) && value >= 0
    ? undefined
    : { path: 'top_k', reason: 'Input should be an integer greater than or equal to 0' };
}

function checkStopSequences(value: unknown): Issue | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value))
    return { path: 'stop_sequences', reason: 'Input should be a valid list' };
  const bad = value.findIndex((item) => typeof item !== 'string');
  return bad === -1
    ? undefined
    : { path: `stop_sequences.${bad}`, reason: 'Input should be a valid string' };
}

function checkOptionalType({
  value,
  path,
  type,
}: {
  value: unknown;
  path: string;
  type: 'boolean';
}): Issue | undefined {
  return value === undefined || typeof value === type
    ? undefined
    : { path, reason: `Input should be a valid ${type}` };
}

function checkTools(tools: unknown): Issue | undefined {
  if (tools === undefined) return undefined;
  if (!Array.isArray(tools)) return { path: 'tools', reason: 'Input should be a valid list' };
  for (let index = 0; index < tools.length; index++) {
    const tool = tools[index];
    const path = `tools.${index}`;
    if (!isPlainObject(tool)) return { path, reason: 'Input should be a valid dictionary' };
    if (typeof tool.name !== 'string' || tool.name === '')
      return { path: `${path}.name`, reason: REQUIRED };
    if (tool.input_schema !== undefined && !isPlainObject(tool.input_schema)) {
      return { path: `${path}.input_schema`, reason: 'Input should be a valid dictionary' };
    }
  }
  return undefined;
}

function checkToolChoice(choice: unknown): Issue | undefined {
  if (choice === undefined) return undefined;
  if (!isPlainObject(choice))
    return { path: 'tool_choice', reason: 'Input should be a valid dictionary' };
  if (typeof choice.type !== 'string' || !TOOL_CHOICE_TYPES.includes(choice.type)) {
    return { path: 'tool_choice.type', reason: "Input should be 'auto', 'any', 'tool' or 'none'" };
  }
  if (choice.type === 'tool' && (typeof choice.name !== 'string' || choice.name === '')) {
    return { path: 'tool_choice.name', reason: REQUIRED };
  }
  return undefined;
}

function checkThinking({
  thinking,
  maxTokens,
}: {
  thinking: unknown;
  maxTokens: unknown;
}): Issue | undefined {
  if (thinking === undefined) return undefined;
  if (!isPlainObject(thinking))
    return { path: 'thinking', reason: 'Input should be a valid dictionary' };
  if (typeof thinking.type !== 'string' || !THINKING_TYPES.includes(thinking.type)) {
    return { path: 'thinking.type', reason: "Input should be 'enabled', 'disabled' or 'adaptive'" };
  }
  if (thinking.type !== 'enabled') return undefined;
  const budget = thinking.budget_tokens;
  if (budget === undefined) return { path: 'thinking.enabled.budget_tokens', reason: REQUIRED };
  if (!isInteger(budget) || budget < 1024) {
    return {
      path: 'thinking.enabled.budget_tokens',
      reason: 'Input should be greater than or equal to 1024',
    };
  }
  if (typeof maxTokens === 'number' && budget >= maxTokens) {
    return {
      path: 'max_tokens',
      reason: `\`max_tokens\` must be greater than \`thinking.budget_tokens\`, got ${maxTokens} and ${budget}`,
    };
  }
  return undefined;
}

function checkMetadata(metadata: unknown): Issue | undefined {
  if (metadata === undefined) return undefined;
  if (!isPlainObject(metadata))
    return { path: 'metadata', reason: 'Input should be a valid dictionary' };
  const userId = metadata.user_id;
  return userId === undefined || userId === null || typeof userId === 'string'
    ? undefined
    : { path: 'metadata.user_id', reason: 'Input should be a valid string' };
}

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}
