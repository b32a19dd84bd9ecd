import { isPlainObject } from './field-checks';
import { createValidationIssue, type ValidationIssue } from './validation-issue';

const TOOL_CHOICE_STRINGS = new Set(['none', 'auto', 'required']);
const RESPONSE_FORMAT_TYPES = new Set(['text', 'json_object', 'json_schema']);

/** Validates `tools`, `tool_choice` and `response_format` of a chat request. */
export function validateToolFields(body: Record<string, unknown>): ValidationIssue | undefined {
  const { tools, tool_choice: toolChoice, response_format: responseFormat } = body;
  if (tools !== undefined && tools !== null) {
    if (!Array.isArray(tools))
      return createValidationIssue({ param: 'tools', reason: 'expected an array.' });
    for (let index = 0; index < tools.length; index++) {
      const issue = validateTool({ tool: tools[index], param: `tools[${index}]` });
      if (issue) return issue;
    }
  }
  if (toolChoice !== undefined && toolChoice !== null) {
    const valid =
      (typeof toolChoice === 'string' && TOOL_CHOICE_STRINGS.has(toolChoice)) ||
      (isPlainObject(toolChoice) &&
        toolChoice.type === 'function' &&
        isPlainObject(toolChoice.function) &&
        typeof toolChoice.function.name === 'string' &&
        toolChoice.function.name !== '');
    if (!valid) {
      return createValidationIssue({
        param: 'tool_choice',
        reason: `expected 'none', 'auto', 'required' or {"type":"function","function":{"name":...}}.`,
      });
    }
  }
  if (responseFormat !== undefined && responseFormat !== null) {
    if (
      !isPlainObject(responseFormat) ||
      typeof responseFormat.type !== 'string' ||
      !RESPONSE_FORMAT_TYPES.has(responseFormat.type)
    ) {
      return createValidationIssue({
        param: 'response_format.type',
        reason: `expected one of 'text', 'json_object', 'json_schema'.`,
      });
    }
    if (responseFormat.type === 'json_schema') {
      const schema = responseFormat.json_schema;
      if (!isPlainObject(schema) || typeof schema.name !== 'string' || schema.name === '') {
        return createValidationIssue({
          param: 'response_format.json_schema',
          reason: 'expected an object with a non-empty name.',
        });
      }
    }
  }
  return undefined;
}

function validateTool({
  tool,
  param,
}: {
  tool: unknown;
  param: string;
}): ValidationIssue | undefined {
  if (!isPlainObject(tool)) return createValidationIssue({ param, reason: 'expected an object.' });
  if (tool.type !== 'function')
    return createValidationIssue({ param: `${param}.type`, reason: `expected 'function'.` });
  const fn = tool.function;
  if (!isPlainObject(fn))
    return createValidationIssue({ param: `${param}.function`, reason: 'expected an object.' });
  if (typeof fn.name !== 'string' || !/^[a-zA-Z0-9_.:-]{1,64}$/.test(fn.name)) {
    return createValidationIssue({
      param: `${param}.function.name`,
      reason: 'expected 1-64 letters, digits, underscores, dots, colons or dashes.',
    });
  }
  if (fn.description !== undefined && typeof fn.description !== 'string') {
    return createValidationIssue({
      param: `${param}.function.description`,
      reason: 'expected a string.',
    });
  }
  if (fn.parameters !== undefined && !isPlainObject(fn.parameters)) {
    return createValidationIssue({
      param: `${param}.function.parameters`,
      reason: 'expected a JSON Schema object.',
    });
  }
  return undefined;
}
