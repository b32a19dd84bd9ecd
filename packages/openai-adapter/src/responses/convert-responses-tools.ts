import { InvalidRequestError } from '../errors/invalid-request-error';
import type { ChatCompletionRequest, ChatTool } from '../types/chat-completion-request';
import { isPlainObject } from '../validation/field-checks';
import type { ResponsesToolNames } from './responses-types';

// a freeform (`custom`) tool becomes a function with one string argument, the way Codex's own
// function-style apply_patch looks; the call's `{"input": …}` is unwrapped on the way back
const CUSTOM_TOOL_PARAMETERS = {
  type: 'object',
  properties: { input: { type: 'string', description: 'The raw input of the tool.' } },
  required: ['input'],
  additionalProperties: false,
};

// hosted web search (`web_search`, `web_search_preview`, dated variants): no Qwen counterpart
const IGNORABLE_TOOL_TYPE = /^web_search/;

/** Qualified upstream name of a namespaced tool (`mcp__server__tool` style, as Codex names them). */
export function qualifyNamespacedToolName({
  namespace,
  name,
}: {
  namespace: string;
  name: string;
}): string {
  if (namespace === '' || name.startsWith(namespace)) return name;
  return namespace.endsWith('__') ? `${namespace}${name}` : `${namespace}__${name}`;
}

/**
 * Responses `tools` → chat function tools. Function tools map one to one; Codex's freeform
 * `custom` tools become functions taking `{"input": string}`; a `namespace` groups tools whose
 * upstream names are qualified with it. Hosted tools (web search, file search, computer use, MCP
 * servers, local shell …) have no Qwen counterpart and are refused with a 400 naming them,
 * except an offered web search, which is left out and reported in `ignoredTools`.
 */
export function convertResponsesTools(tools: readonly unknown[]): {
  tools: ChatTool[];
  toolNames: ResponsesToolNames;
  /** hosted web-search tools that were offered and left out (the caller reports them) */
  ignoredTools: string[];
} {
  const ignoredTools: string[] = [];
  const converted: ChatTool[] = [];
  const toolNames: ResponsesToolNames = { custom: [], namespaced: {} };
  const seen = new Set<string>();
  const add = (tool: ChatTool, param: string) => {
    if (seen.has(tool.function.name)) {
      throw new InvalidRequestError({
        message: `Invalid value for '${param}': duplicate tool name '${tool.function.name}'.`,
        param,
      });
    }
    seen.add(tool.function.name);
    converted.push(tool);
  };
  tools.forEach((tool, index) => {
    const param = `tools[${index}]`;
    if (!isPlainObject(tool)) throw invalidTool({ param, reason: 'expected an object.' });
    switch (tool.type) {
      case 'function':
        add(convertFunctionTool({ tool, param, name: readToolName({ tool, param }) }), param);
        break;
      case 'custom': {
        const name = readToolName({ tool, param });
        add(convertCustomTool({ tool, name }), param);
        toolNames.custom.push(name);
        break;
      }
      case 'namespace': {
        const namespace = readToolName({ tool, param });
        if (!Array.isArray(tool.tools)) {
          throw invalidTool({ param: `${param}.tools`, reason: 'expected an array of tools.' });
        }
        tool.tools.forEach((child, childIndex) => {
          const childParam = `${param}.tools[${childIndex}]`;
          if (!isPlainObject(child))
            throw invalidTool({ param: childParam, reason: 'expected an object.' });
          if (child.type !== 'function' && child.type !== 'custom') {
            throw unsupportedToolType({ param: `${childParam}.type`, type: child.type });
          }
          const childName = readToolName({ tool: child, param: childParam });
          const qualified = qualifyNamespacedToolName({ namespace, name: childName });
          if (child.type === 'function') {
            add(
              convertFunctionTool({ tool: child, param: childParam, name: qualified }),
              childParam,
            );
          } else {
            add(convertCustomTool({ tool: child, name: qualified }), childParam);
            toolNames.custom.push(qualified);
          }
          toolNames.namespaced[qualified] = { namespace, name: childName };
        });
        break;
      }
      default:
        // an offered web search only widens what the model may do: leaving it out changes no
        // meaning (Codex offers it by default); every other hosted tool is refused
        if (typeof tool.type === 'string' && IGNORABLE_TOOL_TYPE.test(tool.type)) {
          if (!ignoredTools.includes(tool.type)) ignoredTools.push(tool.type);
          break;
        }
        throw unsupportedToolType({ param: `${param}.type`, type: tool.type });
    }
  });
  return { tools: converted, toolNames, ignoredTools };
}

/** Responses `tool_choice` → chat `tool_choice` (undefined: leave it to the upstream's default). */
export function convertResponsesToolChoice(
  toolChoice: unknown,
): ChatCompletionRequest['tool_choice'] | undefined {
  if (toolChoice === undefined || toolChoice === null) return undefined;
  if (toolChoice === 'auto' || toolChoice === 'none' || toolChoice === 'required')
    return toolChoice;
  if (
    isPlainObject(toolChoice) &&
    (toolChoice.type === 'function' || toolChoice.type === 'custom')
  ) {
    if (typeof toolChoice.name !== 'string' || toolChoice.name === '') {
      throw invalidTool({ param: 'tool_choice.name', reason: 'expected a non-empty string.' });
    }
    const namespace = typeof toolChoice.namespace === 'string' ? toolChoice.namespace : '';
    const name = qualifyNamespacedToolName({ namespace, name: toolChoice.name });
    return { type: 'function', function: { name } };
  }
  const type = isPlainObject(toolChoice) ? String(toolChoice.type) : String(toolChoice);
  throw new InvalidRequestError({
    message: `Invalid value for 'tool_choice': '${type}' is not supported by qwen-relay; use 'auto', 'none', 'required' or {"type":"function","name":…}.`,
    param: 'tool_choice',
  });
}

function convertFunctionTool({
  tool,
  param,
  name,
}: {
  tool: Record<string, unknown>;
  param: string;
  name: string;
}): ChatTool {
  const fn: ChatTool['function'] = { name };
  if (typeof tool.description === 'string') fn.description = tool.description;
  if (tool.parameters !== undefined && tool.parameters !== null) {
    if (!isPlainObject(tool.parameters)) {
      throw invalidTool({ param: `${param}.parameters`, reason: 'expected a JSON schema object.' });
    }
    fn.parameters = tool.parameters;
  }
  if (typeof tool.strict === 'boolean') fn.strict = tool.strict;
  return { type: 'function', function: fn };
}

function convertCustomTool({
  tool,
  name,
}: {
  tool: Record<string, unknown>;
  name: string;
}): ChatTool {
  const fn: ChatTool['function'] = { name, parameters: CUSTOM_TOOL_PARAMETERS };
  const description = typeof tool.description === 'string' ? tool.description : '';
  const format = isPlainObject(tool.format) ? tool.format : undefined;
  // the grammar is the only description of a freeform tool's input: keep it for the model
  const grammar =
    format && typeof format.definition === 'string'
      ? `\n\nThe input must follow this ${typeof format.syntax === 'string' ? format.syntax : ''} grammar:\n${format.definition}`
      : '';
  if (description !== '' || grammar !== '') fn.description = `${description}${grammar}`;
  return { type: 'function', function: fn };
}

function readToolName({ tool, param }: { tool: Record<string, unknown>; param: string }): string {
  if (typeof tool.name === 'string' && tool.name !== '') return tool.name;
  throw invalidTool({ param: `${param}.name`, reason: 'expected a non-empty string.' });
}

function invalidTool({ param, reason }: { param: string; reason: string }): InvalidRequestError {
  return new InvalidRequestError({ message: `Invalid value for '${param}': ${reason}`, param });
}

function unsupportedToolType({
  param,
  type,
}: {
  param: string;
  type: unknown;
}): InvalidRequestError {
  const name = typeof type === 'string' ? type : JSON.stringify(type);
  return new InvalidRequestError({
    message: `Invalid value for '${param}': tool type '${name}' is not supported by qwen-relay (supported: function, custom, namespace). Remove the tool or disable it in the client.`,
    param,
  });
}
