import { isPlainObject } from '../validation/field-checks';
import { createOutputItemId } from './create-response-object';
import type { ResponseContext, ResponseItemStatus, ResponseOutputItem } from './responses-types';

/**
 * One chat tool call → a `function_call` item (with `namespace` and the tool's own name for a
 * namespaced tool) or, for a freeform tool, a `custom_tool_call` whose `input` is unwrapped from
 * the `{"input": …}` arguments. A call without a name or id is kept, never dropped.
 */
export function convertToolCallToOutputItem({
  context,
  outputIndex,
  callId,
  name,
  args,
  status,
}: {
  context: ResponseContext;
  outputIndex: number;
  callId: string;
  name: string;
  args: string;
  status: ResponseItemStatus;
}): ResponseOutputItem {
  const { toolNames } = context;
  const namespaced = toolNames.namespaced[name];
  if (toolNames.custom.includes(name)) {
    return {
      type: 'custom_tool_call',
      id: createOutputItemId({ context, prefix: 'ctc', outputIndex }),
      status,
      call_id: callId,
      name: namespaced?.name ?? name,
      input: unwrapCustomToolInput(args),
    };
  }
  const item: ResponseOutputItem = {
    type: 'function_call',
    id: createOutputItemId({ context, prefix: 'fc', outputIndex }),
    status,
    call_id: callId,
    name: namespaced?.name ?? name,
    arguments: args,
  };
  if (namespaced) item.namespace = namespaced.namespace;
  return item;
}

/** The call id to use when the upstream never sent one (stable per response and position). */
export function createFallbackCallId({
  context,
  toolCallIndex,
}: {
  context: ResponseContext;
  toolCallIndex: number;
}): string {
  return `call_${context.responseId.replace(/^resp_/, '')}_${toolCallIndex}`;
}

// `{"input": "..."}` → "..."; anything else (the model ignored the wrapper) is passed on as is
function unwrapCustomToolInput(args: string): string {
  try {
    const parsed: unknown = JSON.parse(args);
    if (isPlainObject(parsed) && typeof parsed.input === 'string') return parsed.input;
  } catch {
    // not JSON: the raw text is the best input there is
  }
  return args;
}
