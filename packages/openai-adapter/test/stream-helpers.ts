import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import {
  createChatStreamTransform,
  restoreStreamTransform,
  type StreamFailure,
  type StreamSummary,
  type StreamTransform,
} from '../src/index';

/** Names of the recorded upstream streams in src/__fixtures__. */
export const FIXTURE_NAMES = [
  'plain-text',
  'plain-text-crlf',
  'thinking',
  'tool-calls',
  'tool-calls-late-id',
  'tool-calls-nameless',
  'combined-final-chunk',
  'mid-stream-error',
  'error-finish',
  'multi-line-data',
] as const;

/** The raw bytes of a recorded upstream stream. */
export function loadFixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`../src/__fixtures__/${name}.sse`, import.meta.url)));
}

/** Cuts `bytes` at the given offsets (sorted, deduplicated, clamped). */
export function splitAt({
  bytes,
  offsets,
}: {
  bytes: Uint8Array;
  offsets: readonly number[];
}): Uint8Array[] {
  const cuts = [
    ...new Set(offsets.map((offset) => Math.max(0, Math.min(bytes.length, offset)))),
  ].sort((a, b) => a - b);
  const parts: Uint8Array[] = [];
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    parts.push(bytes.slice(start, cut));
    start = cut;
  }
  return parts;
}

/** Deterministic pseudo-random split offsets (mulberry32), so failures reproduce. */
export function randomOffsets({
  length,
  count,
  seed,
}: {
  length: number;
  count: number;
  seed: number;
}): number[] {
  let value = seed >>> 0;
  const next = (): number => {
    value = (value + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(value ^ (value >>> 15), 1 | value);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
  return Array.from({ length: count }, () => Math.floor(next() * (length + 1)));
}

/**
 * Runs any stream transform over the parts and ends it; with `restoreEachTime`, its state crosses
 * a structuredClone and the registry (`restoreStreamTransform`) between parts, as between workers.
 */
export function runStreamTransform({
  transform,
  parts,
  restoreEachTime = false,
  failure,
}: {
  transform: StreamTransform;
  parts: readonly Uint8Array[];
  restoreEachTime?: boolean;
  /** passed to `end()`: why the stream stopped, for transforms that report it themselves */
  failure?: StreamFailure;
}): { text: string; summary: StreamSummary; outputs: Uint8Array[] } {
  let current = transform;
  const outputs: Uint8Array[] = [];
  for (const part of parts) {
    outputs.push(current.transform(part));
    if (restoreEachTime) current = restoreStreamTransform(structuredClone(current.getState()));
  }
  const { bytes, summary } = current.end(failure === undefined ? {} : { failure });
  outputs.push(bytes);
  return { text: decodeAll(outputs), summary, outputs };
}

/** Runs the chat transform over the parts (see runStreamTransform). */
export function runTransform({
  parts,
  clientModel = 'coder-model',
  includeUsage = false,
  maxLineBytes,
  restoreEachTime = false,
}: {
  parts: readonly Uint8Array[];
  clientModel?: string;
  includeUsage?: boolean;
  maxLineBytes?: number;
  restoreEachTime?: boolean;
}): { text: string; summary: StreamSummary; outputs: Uint8Array[] } {
  const transform = createChatStreamTransform(
    maxLineBytes === undefined
      ? { clientModel, includeUsage }
      : { clientModel, includeUsage, maxLineBytes },
  );
  return runStreamTransform({ transform, parts, restoreEachTime });
}

/** Decodes and joins byte outputs. */
export function decodeAll(outputs: readonly Uint8Array[]): string {
  const decoder = new TextDecoder();
  return (
    outputs.map((output) => decoder.decode(output, { stream: true })).join('') + decoder.decode()
  );
}

/** The `data:` payloads of an OpenAI SSE text, parsed (`'[DONE]'` kept as a string). */
export function parseEvents(text: string): unknown[] {
  expect(text === '' || text.endsWith('\n\n')).toBe(true);
  return text
    .split('\n\n')
    .filter((block) => block !== '')
    .map((block) => {
      expect(block.startsWith('data: ')).toBe(true);
      const data = block.slice('data: '.length);
      return data === '[DONE]' ? data : JSON.parse(data);
    });
}

interface AssembledChoice {
  content: string;
  reasoning: string;
  toolCalls: Array<{ id: string; type: string; name: string; arguments: string }>;
  finishReason: string | null;
  /** order in which content kinds appeared, consecutive duplicates collapsed */
  sequence: string[];
}

/**
 * Accumulates chunk deltas the way OpenAI clients do: a delta with an `id` starts a call, other
 * deltas of the same index append `arguments`. Throws on a phantom (continuation before start).
 */
export function assembleChunks(events: readonly unknown[]): Map<number, AssembledChoice> {
  const choices = new Map<number, AssembledChoice>();
  for (const event of events) {
    if (event === '[DONE]' || typeof event !== 'object' || event === null || 'error' in event)
      continue;
    for (const choice of (event as { choices: Array<Record<string, unknown>> }).choices) {
      const index = choice.index as number;
      let assembled = choices.get(index);
      if (!assembled) {
        assembled = { content: '', reasoning: '', toolCalls: [], finishReason: null, sequence: [] };
        choices.set(index, assembled);
      }
      const delta = (choice.delta ?? {}) as Record<string, unknown>;
      const mark = (kind: string): void => {
        if (assembled.sequence.at(-1) !== kind) assembled.sequence.push(kind);
      };
      if (typeof delta.reasoning_content === 'string' && delta.reasoning_content !== '') {
        assembled.reasoning += delta.reasoning_content;
        mark('reasoning');
      }
      if (typeof delta.content === 'string' && delta.content !== '') {
        assembled.content += delta.content;
        mark('content');
      }
      for (const toolCall of (delta.tool_calls ?? []) as Array<Record<string, unknown>>) {
        const fn = (toolCall.function ?? {}) as Record<string, string>;
        const toolIndex = toolCall.index as number;
        if ('id' in toolCall) {
          if (assembled.toolCalls[toolIndex])
            throw new Error(`second start of tool call ${toolIndex}`);
          assembled.toolCalls[toolIndex] = {
            id: toolCall.id as string,
            type: toolCall.type as string,
            name: fn.name ?? '',
            arguments: fn.arguments ?? '',
          };
        } else {
          const started = assembled.toolCalls[toolIndex];
          if (!started) throw new Error(`phantom tool call ${toolIndex}`);
          if ('type' in toolCall || 'name' in fn) throw new Error('continuation repeats type/name');
          started.arguments += fn.arguments ?? '';
        }
        mark('tool_calls');
      }
      if (choice.finish_reason !== null && choice.finish_reason !== undefined) {
        assembled.finishReason = choice.finish_reason as string;
      }
    }
  }
  return choices;
}

/**
 * Splits SSE text framed as `event: <type>\ndata: <json>\n\n` (Anthropic, Responses) into
 * events, checking the framing: two lines an event, and the event line names `data.type`.
 */
export function parseNamedEvents(
  text: string,
): Array<{ event: string; data: Record<string, unknown> }> {
  return text
    .split('\n\n')
    .filter((block) => block !== '')
    .map((block) => {
      const [eventLine = '', dataLine = '', ...rest] = block.split('\n');
      expect(rest).toEqual([]);
      expect(eventLine.startsWith('event: ')).toBe(true);
      expect(dataLine.startsWith('data: ')).toBe(true);
      const event = eventLine.slice('event: '.length);
      const data = JSON.parse(dataLine.slice('data: '.length)) as Record<string, unknown>;
      expect(data.type).toBe(event);
      return { event, data };
    });
}
