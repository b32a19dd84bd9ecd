import type { FakeQwenSettings } from '../server/fake-settings';

/** A tool the reply will call, with the arguments it will send. */
export interface PlannedToolCall {
  name: string;
  argumentsJson: string;
}

/** What the fake will answer to one chat request. */
export interface ChatPlan {
  stream: boolean;
  includeUsage: boolean;
  /** the model name echoed back (alias resolved) */
  model: string;
  thinking: boolean;
  toolCalls: PlannedToolCall[];
  /** the whole answer text when `response_format` asks for JSON (an object that fits the schema) */
  jsonContent?: string;
}

/** Either a plan or the message of a 400 `invalid_parameter_error`. */
export type ChatPlanResult =
  | { success: true; plan: ChatPlan }
  | { success: false; message: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Example value for a JSON-schema property, so tool arguments are valid JSON of the right shape. */
function createExampleValue(schema: unknown): unknown {
  const type = isRecord(schema) ? schema.type : undefined;
  if (type === 'integer' || type === 'number') return 1;
  if (type === 'boolean') return true;
  if (type === 'array') return [];
  if (type === 'object') return {};
  return 'example';
}

function planToolCall(tool: unknown): PlannedToolCall | undefined {
  if (!isRecord(tool) || !isRecord(tool.function) || typeof tool.function.name !== 'string') {
    return undefined;
  }
  const parameters = tool.function.parameters;
  const properties =
    isRecord(parameters) && isRecord(parameters.properties) ? parameters.properties : {};
  const argumentsObject: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(properties))
    argumentsObject[key] = createExampleValue(schema);
  return { name: tool.function.name, argumentsJson: JSON.stringify(argumentsObject) };
}

/**
 * Tool calls the reply makes: none without tools or with tool_choice "none"; the named tool for
 * a `{type:"function"}` choice; the first two tools (index 0 and 1) for "required" when there
 * are at least two; otherwise one call to the first tool.
 */
function planToolCalls(body: Record<string, unknown>): PlannedToolCall[] | string {
  const { tools, tool_choice: toolChoice } = body;
  if (tools === undefined) return [];
  // a model that just got its tool results answers them (unless a call is forced)
  const lastMessage = Array.isArray(body.messages) ? body.messages.at(-1) : undefined;
  const forced = toolChoice === 'required' || isRecord(toolChoice);
  if (isRecord(lastMessage) && lastMessage.role === 'tool' && !forced) return [];
  if (!Array.isArray(tools)) return 'tools must be an array';
  if (tools.length === 0 || toolChoice === 'none') return [];
  const planned = tools.map(planToolCall);
  if (planned.some((call) => call === undefined)) return 'every tool needs function.name';
  const calls = planned as PlannedToolCall[];
  if (isRecord(toolChoice) && isRecord(toolChoice.function)) {
    const chosen = calls.find(
      (call) => call.name === (toolChoice.function as { name?: unknown }).name,
    );
    return chosen ? [chosen] : 'tool_choice names a tool that is not in tools';
  }
  return toolChoice === 'required' && calls.length >= 2 ? calls.slice(0, 2) : calls.slice(0, 1);
}

function findQuirkViolation(
  body: Record<string, unknown>,
  settings: FakeQwenSettings,
): string | undefined {
  const quirks = settings.strictQuirks;
  const messages = body.messages as unknown[];
  for (const message of messages) {
    if (!isRecord(message)) continue;
    if (
      quirks.systemMustBeArray &&
      message.role === 'system' &&
      typeof message.content === 'string'
    ) {
      return 'system message content must be an array of content parts';
    }
    if (quirks.userTextMustBeString && message.role === 'user' && Array.isArray(message.content)) {
      const textOnly = message.content.every((part) => isRecord(part) && part.type === 'text');
      if (textOnly) return 'user message content must be a string';
    }
  }
  if (quirks.rejectEmptyTools && Array.isArray(body.tools) && body.tools.length === 0) {
    return 'tools must not be empty';
  }
  if (quirks.rejectThinkingWithoutStream && body.enable_thinking === true && body.stream !== true) {
    return 'parameter.enable_thinking must be set to false for non-streaming calls';
  }
  return undefined;
}

/** Validates a chat body the way the portal does and decides the reply. */
export function parseChatPlan({
  body,
  settings,
}: {
  body: unknown;
  settings: FakeQwenSettings;
}): ChatPlanResult {
  if (!isRecord(body)) return { success: false, message: 'The request body must be a JSON object' };
  if (typeof body.model !== 'string' || body.model === '') {
    return { success: false, message: 'Model not specified' };
  }
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    return { success: false, message: 'messages must be a non-empty array' };
  }
  const maxTokens = body.max_tokens;
  if (
    maxTokens !== undefined &&
    (typeof maxTokens !== 'number' ||
      !Number.isInteger(maxTokens) ||
      maxTokens < 1 ||
      maxTokens > settings.maxTokensLimit)
  ) {
    return {
      success: false,
      message: `Range of max_tokens should be [1, ${settings.maxTokensLimit}]`,
    };
  }
  const quirk = findQuirkViolation(body, settings);
  if (quirk) return { success: false, message: quirk };
  const toolCalls = planToolCalls(body);
  if (typeof toolCalls === 'string') return { success: false, message: toolCalls };
  const streamOptions = body.stream_options;
  const jsonContent = planJsonContent(body.response_format);
  return {
    success: true,
    plan: {
      ...(jsonContent === undefined || toolCalls.length > 0 ? {} : { jsonContent }),
      stream: body.stream === true,
      includeUsage: isRecord(streamOptions) && streamOptions.include_usage === true,
      model: settings.modelAliases[body.model] ?? body.model,
      thinking: body.enable_thinking === true,
      toolCalls,
    },
  };
}

/** The JSON answer for `response_format` json_schema (example values of the schema) or json_object. */
function planJsonContent(responseFormat: unknown): string | undefined {
  if (!isRecord(responseFormat)) return undefined;
  if (responseFormat.type === 'json_object') return JSON.stringify({ answer: 'example' });
  if (responseFormat.type !== 'json_schema' || !isRecord(responseFormat.json_schema)) {
    return undefined;
  }
  return JSON.stringify(createExampleFromSchema(responseFormat.json_schema.schema));
}

function createExampleFromSchema(schema: unknown): unknown {
  if (!isRecord(schema)) return 'example';
  if (schema.type === 'object') {
    const properties = isRecord(schema.properties) ? schema.properties : {};
    const example: Record<string, unknown> = {};
    for (const [key, property] of Object.entries(properties)) {
      example[key] = createExampleFromSchema(property);
    }
    return example;
  }
  if (schema.type === 'array') return [createExampleFromSchema(schema.items)];
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  return createExampleValue(schema);
}
