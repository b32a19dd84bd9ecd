import type { ReplyScript } from '../chat/create-reply-script';

/** Anthropic usage of a reply script, every field present. */
function createUsage(script: ReplyScript): Record<string, number> {
  const usage = script.usage as { prompt_tokens: number; completion_tokens: number };
  return {
    input_tokens: usage.prompt_tokens,
    output_tokens: usage.completion_tokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
  };
}

const SIGNATURE = 'ZmFrZS1xd2VuLXRoaW5raW5nLXNpZ25hdHVyZQ==';

/** The content blocks of a reply: thinking, then text or tool_use. */
function createBlocks(script: ReplyScript): Array<Record<string, unknown>> {
  const blocks: Array<Record<string, unknown>> = [];
  if (script.reasoningText !== '') {
    blocks.push({ type: 'thinking', thinking: script.reasoningText, signature: SIGNATURE });
  }
  if (script.contentText !== '') blocks.push({ type: 'text', text: script.contentText });
  for (const call of script.toolCalls) {
    blocks.push({
      type: 'tool_use',
      id: call.id,
      name: call.name,
      input: JSON.parse(call.argumentsJson),
    });
  }
  return blocks;
}

/** The JSON `message` of the native endpoint. */
export function buildAnthropicMessage({
  script,
  id,
  model,
}: {
  script: ReplyScript;
  id: string;
  model: string;
}): Record<string, unknown> {
  return {
    id,
    type: 'message',
    role: 'assistant',
    model,
    content: createBlocks(script),
    stop_reason: script.toolCalls.length > 0 ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: createUsage(script),
  };
}

function event(data: Record<string, unknown>): string {
  return `event: ${String(data.type)}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * The native endpoint's SSE events, as Anthropic documents them: message_start, ping, per block
 * start / deltas (thinking then one signature_delta, text, input_json_delta fragments) / stop,
 * message_delta with the stop reason and usage, message_stop.
 */
export function buildAnthropicStreamEvents({
  script,
  id,
  model,
}: {
  script: ReplyScript;
  id: string;
  model: string;
}): string[] {
  const usage = createUsage(script);
  const events = [
    event({
      type: 'message_start',
      message: {
        id,
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...usage, output_tokens: 1 },
      },
    }),
    event({ type: 'ping' }),
  ];
  let index = 0;
  if (script.encodedReasoningPieces.length > 0) {
    events.push(
      event({
        type: 'content_block_start',
        index,
        content_block: { type: 'thinking', thinking: '', signature: '' },
      }),
    );
    for (const piece of script.encodedReasoningPieces) {
      events.push(
        event({
          type: 'content_block_delta',
          index,
          delta: { type: 'thinking_delta', thinking: JSON.parse(piece) },
        }),
      );
    }
    events.push(
      event({
        type: 'content_block_delta',
        index,
        delta: { type: 'signature_delta', signature: SIGNATURE },
      }),
    );
    events.push(event({ type: 'content_block_stop', index }));
    index += 1;
  }
  if (script.encodedContentPieces.length > 0) {
    events.push(
      event({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } }),
    );
    for (const piece of script.encodedContentPieces) {
      events.push(
        event({
          type: 'content_block_delta',
          index,
          delta: { type: 'text_delta', text: JSON.parse(piece) },
        }),
      );
    }
    events.push(event({ type: 'content_block_stop', index }));
    index += 1;
  }
  for (const call of script.toolCalls) {
    events.push(
      event({
        type: 'content_block_start',
        index,
        content_block: { type: 'tool_use', id: call.id, name: call.name, input: {} },
      }),
    );
    for (const piece of call.encodedArgumentPieces) {
      events.push(
        event({
          type: 'content_block_delta',
          index,
          delta: { type: 'input_json_delta', partial_json: JSON.parse(piece) },
        }),
      );
    }
    events.push(event({ type: 'content_block_stop', index }));
    index += 1;
  }
  events.push(
    event({
      type: 'message_delta',
      delta: {
        stop_reason: script.toolCalls.length > 0 ? 'tool_use' : 'end_turn',
        stop_sequence: null,
      },
      usage,
    }),
  );
  events.push(event({ type: 'message_stop' }));
  return events;
}
