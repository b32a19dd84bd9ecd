import type { ChatPlan, PlannedToolCall } from '../chat/parse-chat-plan';
import type { FaultAction } from '../types';

/** The Anthropic error types the native endpoint answers with, by status. */
export function mapStatusToAnthropicErrorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 413) return 'request_too_large';
  if (status === 429) return 'rate_limit_error';
  if (status === 529) return 'overloaded_error';
  return status >= 500 ? 'api_error' : 'invalid_request_error';
}

/** An Anthropic error body. */
export function createAnthropicErrorBody({
  status,
  message,
}: {
  status: number;
  message: string;
}): Record<string, unknown> {
  return { type: 'error', error: { type: mapStatusToAnthropicErrorType(status), message } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function createExampleValue(schema: unknown): unknown {
  const type = isRecord(schema) ? schema.type : undefined;
  if (type === 'integer' || type === 'number') return 1;
  if (type === 'boolean') return true;
  if (type === 'array') return [];
  if (type === 'object') return {};
  return 'example';
}

function planToolUse(tool: Record<string, unknown>): PlannedToolCall {
  const schema = isRecord(tool.input_schema) ? tool.input_schema : {};
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const input: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(properties))
    input[key] = createExampleValue(property);
  return { name: String(tool.name), argumentsJson: JSON.stringify(input) };
}

/**
 * What the native Anthropic endpoint (`…/apps/anthropic/v1/messages`) answers, as a chat plan so
 * the reply script is shared with chat: validated like the real endpoint (`max_tokens` and
 * `messages` required → 400 `invalid_request_error`), thinking when `thinking.type` is
 * `enabled`, one `tool_use` of the first (or chosen) tool unless `tool_choice` is `none`.
 */
export function planAnthropicReply(
  body: unknown,
): { success: true; plan: ChatPlan } | { success: false; message: string } {
  if (!isRecord(body))
    return { success: false, message: 'The request body must be a JSON object.' };
  if (typeof body.model !== 'string' || body.model === '') {
    return { success: false, message: 'model: Field required' };
  }
  if (typeof body.max_tokens !== 'number')
    return { success: false, message: 'max_tokens: Field required' };
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    return { success: false, message: 'messages: Field required' };
  }
  const tools = Array.isArray(body.tools) ? body.tools.filter(isRecord) : [];
  const choice = isRecord(body.tool_choice) ? body.tool_choice : {};
  let toolCalls: PlannedToolCall[] = [];
  if (tools.length > 0 && choice.type !== 'none') {
    const chosen =
      choice.type === 'tool' ? tools.find((tool) => tool.name === choice.name) : tools[0];
    if (!chosen)
      return { success: false, message: 'tool_choice names a tool that is not in tools' };
    toolCalls = [planToolUse(chosen)];
  }
  return {
    success: true,
    plan: {
      stream: body.stream === true,
      includeUsage: true,
      model: body.model,
      thinking: isRecord(body.thinking) && body.thinking.type === 'enabled',
      toolCalls,
    },
  };
}

/** A DashScope-style error body (`{"error":{message,…}}` or `{message,…}`) in Anthropic's envelope. */
export function convertErrorBodyToAnthropic({
  status,
  body,
}: {
  status: number;
  body: unknown;
}): Record<string, unknown> {
  const inner = isRecord(body) && isRecord(body.error) ? body.error : body;
  const message = isRecord(inner) && typeof inner.message === 'string' ? inner.message : 'error';
  return createAnthropicErrorBody({ status, message });
}

/** A before-response fault as the native Anthropic endpoint answers it: JSON bodies in Anthropic's envelope. */
export function convertFaultToAnthropic(action: FaultAction): FaultAction {
  if (action.type === 'status' && isRecord(action.body)) {
    return {
      ...action,
      body: convertErrorBodyToAnthropic({ status: action.status, body: action.body }),
    };
  }
  if (action.type === 'delay-headers' && action.andThen?.type === 'status') {
    const { andThen } = action;
    if (isRecord(andThen.body)) {
      const body = convertErrorBodyToAnthropic({ status: andThen.status, body: andThen.body });
      return { ...action, andThen: { ...andThen, body } };
    }
  }
  return action;
}
