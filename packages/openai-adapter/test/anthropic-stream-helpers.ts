import { expect } from 'vitest';
import { createAnthropicStreamTransform, type StreamSummary } from '../src/index';
import { parseNamedEvents, runStreamTransform } from './stream-helpers';

/** One Anthropic SSE event as the client reads it. */
export interface AnthropicEvent {
  event: string;
  data: Record<string, unknown>;
}

/** Runs the Anthropic transform over the parts (see runStreamTransform). */
export function runAnthropicTransform({
  parts,
  restoreEachTime = false,
  stopSequences = [],
}: {
  parts: readonly Uint8Array[];
  restoreEachTime?: boolean;
  stopSequences?: string[];
}): { text: string; summary: StreamSummary } {
  const transform = createAnthropicStreamTransform({
    clientModel: 'claude-sonnet-4-5',
    messageId: 'msg_test01',
    estimatedInputTokens: 42,
    stopSequences,
  });
  return runStreamTransform({ transform, parts, restoreEachTime });
}

/** Splits Anthropic SSE text into events, checking the framing (`event:` equals `data.type`). */
export function parseAnthropicEvents(text: string): AnthropicEvent[] {
  expect(text === '' || text.endsWith('\n\n')).toBe(true);
  return parseNamedEvents(text);
}

/** A message assembled the way the SDK's stream accumulator does, checking the protocol on the way. */
export interface AssembledMessage {
  started: Record<string, unknown> | undefined;
  blocks: Array<Record<string, unknown>>;
  stopReason: unknown;
  usage: unknown;
  stopped: boolean;
  error: Record<string, unknown> | undefined;
}

/**
 * Checks the documented sequence (message_start → blocks with consecutive indexes, each
 * start/delta…/stop, no overlap → message_delta → message_stop; or an `error` that ends it) and
 * assembles the content. Every tool_use input is the parse of its concatenated `partial_json`.
 */
export function assembleAnthropicEvents(events: readonly AnthropicEvent[]): AssembledMessage {
  const message: AssembledMessage = {
    started: undefined,
    blocks: [],
    stopReason: undefined,
    usage: undefined,
    stopped: false,
    error: undefined,
  };
  let open: { index: number; block: Record<string, unknown>; json: string } | undefined;
  for (const { event, data } of events) {
    expect(message.stopped || message.error !== undefined).toBe(false);
    switch (event) {
      case 'message_start':
        expect(message.started).toBeUndefined();
        message.started = data.message as Record<string, unknown>;
        break;
      case 'ping':
        break;
      case 'content_block_start':
        expect(message.started).toBeDefined();
        expect(open).toBeUndefined();
        expect(data.index).toBe(message.blocks.length);
        open = {
          index: data.index as number,
          block: { ...(data.content_block as object) },
          json: '',
        };
        break;
      case 'content_block_delta': {
        expect(open?.index).toBe(data.index);
        const delta = data.delta as Record<string, string>;
        const block = open?.block as Record<string, unknown>;
        if (delta.type === 'text_delta') block.text = `${block.text}${delta.text}`;
        else if (delta.type === 'thinking_delta')
          block.thinking = `${block.thinking}${delta.thinking}`;
        else if (delta.type === 'input_json_delta' && open) open.json += delta.partial_json;
        else throw new Error(`unexpected delta ${delta.type}`);
        break;
      }
      case 'content_block_stop':
        expect(open?.index).toBe(data.index);
        if (open?.block.type === 'tool_use') {
          open.block.input = JSON.parse(open.json === '' ? '{}' : open.json);
          expect(open.block.id).toMatch(/^[a-zA-Z0-9_-]+$/);
        }
        if (open) message.blocks.push(open.block);
        open = undefined;
        break;
      case 'message_delta':
        expect(open).toBeUndefined();
        message.stopReason = (data.delta as Record<string, unknown>).stop_reason;
        message.usage = data.usage;
        break;
      case 'message_stop':
        expect(message.stopReason).toBeDefined();
        message.stopped = true;
        break;
      case 'error':
        message.error = data.error as Record<string, unknown>;
        break;
      default:
        throw new Error(`unexpected event ${event}`);
    }
  }
  return message;
}

/** Encodes chat chunks (objects, or raw lines) as an upstream SSE body ending with `[DONE]` unless told otherwise. */
export function encodeUpstream(chunks: readonly unknown[], { done = true } = {}): Uint8Array {
  const body = chunks
    .map((chunk) => `data: ${typeof chunk === 'string' ? chunk : JSON.stringify(chunk)}\n\n`)
    .join('');
  return new TextEncoder().encode(done ? `${body}data: [DONE]\n\n` : body);
}
