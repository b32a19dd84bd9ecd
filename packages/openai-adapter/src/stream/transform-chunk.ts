import type { UpstreamStreamError } from '../errors/upstream-stream-error';
import { convertErrorFinish } from '../mapping/convert-upstream-error-object';
import { convertUsage } from '../mapping/convert-usage';
import { isPlainObject } from '../validation/field-checks';
import type { ChatStreamTransformState } from './chat-stream-transform-state';
import { repairToolCallChunk } from './repair-tool-call-chunk';
import { matchPlainDeltaChunk, readFinalChunk } from './scan-plain-delta-chunk';
import { holdsNoToolCalls } from './tool-call-repair-state';

/** Outcome of one upstream chunk: SSE text to forward (maybe empty), or an in-band error. */
export type ChunkTransformResult =
  | { kind: 'output'; text: string }
  | { kind: 'error'; error: UpstreamStreamError };

/**
 * Layer 3: one parsed upstream `chat.completion.chunk` → OpenAI SSE text. Rewrites `model`,
 * runs the tool-call repair stage (repairToolCallChunk: deltas repaired, held calls released at
 * the finish, `stop` → `tool_calls` when calls were streamed), captures
 * usage (forwarded only when the client asked, as its own `choices: []` chunk like OpenAI) and
 * reports `finish_reason: "error_finish"` as an error. `data` is the original JSON text: a
 * chunk that needs nothing but the model rewrite is not re-serialised.
 */
export function transformChunk({
  chunk,
  data,
  state,
}: {
  chunk: Record<string, unknown>;
  data: string;
  state: ChatStreamTransformState;
}): ChunkTransformResult {
  const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
  for (const choice of choices) {
    if (!isPlainObject(choice) || choice.finish_reason !== 'error_finish') continue;
    const delta = isPlainObject(choice.delta) ? choice.delta : undefined;
    return {
      kind: 'error',
      error: convertErrorFinish(typeof delta?.content === 'string' ? delta.content : ''),
    };
  }
  const changed = repairToolCallChunk({ chunk, state });
  // after the repair, so a `stop` turned into `tool_calls` is what the trace records
  for (const choice of choices) {
    if (!isPlainObject(choice) || typeof choice.finish_reason !== 'string') continue;
    state.finishReasons.push(choice.finish_reason);
    if (typeof chunk.model === 'string') state.upstreamModel = chunk.model;
  }

  const { clientModel } = state;
  const usage = isPlainObject(chunk.usage) ? chunk.usage : undefined;
  if (usage) {
    state.usage = convertUsage(usage) ?? null;
    if (typeof chunk.model === 'string') state.upstreamModel = chunk.model;
    if (choices.length === 0) {
      return {
        kind: 'output',
        text: state.includeUsage ? formatChunk({ chunk, data, changed, clientModel }) : '',
      };
    }
    // a combined final chunk (docs/qwen-upstream.md §2.6 variation 1): split it the way OpenAI
    // streams usage
    chunk.usage = null;
    const text = formatChunk({ chunk, data, changed: true, clientModel });
    if (!state.includeUsage) return { kind: 'output', text };
    const usageChunk = { ...chunk, choices: [], usage };
    return {
      kind: 'output',
      text: text + formatChunk({ chunk: usageChunk, data, changed: true, clientModel }),
    };
  }
  return { kind: 'output', text: formatChunk({ chunk, data, changed, clientModel }) };
}

function formatChunk({
  chunk,
  data,
  changed,
  clientModel,
}: {
  chunk: Record<string, unknown>;
  data: string;
  changed: boolean;
  clientModel: string;
}): string {
  if (chunk.model === clientModel && !changed) return `data: ${data}\n\n`;
  if (!changed && typeof chunk.model === 'string') {
    const text = formatUnchangedChunk({ data, upstreamModel: chunk.model, clientModel });
    if (text !== undefined) return text;
  }
  return `data: ${JSON.stringify({ ...chunk, model: clientModel })}\n\n`;
}

/**
 * Fast path of handleEvent, before any JSON.parse: the SSE text of a plain delta chunk (see
 * matchPlainDeltaChunk), exactly what transformChunk would give for it, or undefined to take the
 * full path. Leaves the state alone; transformChunk would too, for such a chunk. The match says
 * where the model value is, so the text is cut there once, not searched again.
 */
export function transformPlainDeltaChunk({
  data,
  clientModel,
}: {
  data: string;
  clientModel: string;
}): string | undefined {
  const match = matchPlainDeltaChunk(data);
  if (match === undefined) return undefined;
  return formatModelSwapped({
    data,
    head: match[1] as string,
    upstreamModel: match[2] as string,
    clientModel,
  });
}

/**
 * Fast path of handleEvent for the chunks that end a stream (readFinalChunk: the finish chunk and
 * the usage chunk in Qwen's layout), before any JSON.parse: exactly what transformChunk would
 * give for it, with the same changes to the state, or undefined to take the full path. A finish
 * chunk takes it only when the tool-call repair stage holds nothing (it would release held calls
 * into that chunk, or turn `stop` into `tool_calls`).
 */
export function transformFinalChunk({
  data,
  state,
}: {
  data: string;
  state: ChatStreamTransformState;
}): string | undefined {
  const final = readFinalChunk(data);
  if (final === undefined) return undefined;
  const { head, model: upstreamModel } = final;
  const { clientModel } = state;
  if (final.kind === 'usage') {
    state.usage = convertUsage(final.usage) ?? null;
    state.upstreamModel = upstreamModel;
    return state.includeUsage ? formatModelSwapped({ data, head, upstreamModel, clientModel }) : '';
  }
  if (!holdsNoToolCalls(state)) return undefined;
  state.finishReasons.push(final.finishReason);
  state.upstreamModel = upstreamModel;
  return formatModelSwapped({ data, head, upstreamModel, clientModel });
}

// the SSE text of a chunk whose one `model` value (no escapes) starts right after `head`, shown
// to the client as `clientModel`
function formatModelSwapped({
  data,
  head,
  upstreamModel,
  clientModel,
}: ModelSwap & { head: string }): string {
  if (upstreamModel === clientModel) return `data: ${data}\n\n`;
  // the value has no escapes, so its text ends where its length says; the tail keeps its quote
  const tail = data.slice(head.length + upstreamModel.length);
  return `data: ${head}${serializeModelValue(clientModel)}${tail}\n\n`;
}

/** A chunk's SSE data and the model it names, to be shown to the client as `clientModel`. */
interface ModelSwap {
  data: string;
  upstreamModel: string;
  clientModel: string;
}

// the full path's unchanged chunk (a finish or usage chunk); the property tests of the fast path
// hold its output to this one's
function formatUnchangedChunk({ data, upstreamModel, clientModel }: ModelSwap): string | undefined {
  if (upstreamModel === clientModel) return `data: ${data}\n\n`;
  const fast = replaceModelInPlace({ data, upstreamModel, clientModel });
  return fast === undefined ? undefined : `data: ${fast}\n\n`;
}

/**
 * Swaps the `"model":"<upstream>"` member in the original text. A quote inside a JSON
 * string is always escaped, so an unescaped `"model":"x"` is structure; requiring exactly one
 * occurrence makes it the top-level member. Undefined when that cannot be shown (e.g. spaced
 * JSON), and the caller re-serialises.
 */
function replaceModelInPlace({ data, upstreamModel, clientModel }: ModelSwap): string | undefined {
  const needle = serializeModelMember(upstreamModel);
  const first = data.indexOf(needle);
  if (first === -1 || data.indexOf(needle, first + needle.length) !== -1) return undefined;
  const replacement = serializeModelValue(clientModel);
  return `${data.slice(0, first)}"model":"${replacement}"${data.slice(first + needle.length)}`;
}

// a stream (usually a whole process) sees one model pair: serialise each once, not per chunk
const upstreamMemberCache = { model: '', member: '"model":""' };
const clientValueCache = { model: '', value: '' };

/** The JSON string text of `model` without its quotes (what goes between `"model":"` and `"`). */
function serializeModelValue(model: string): string {
  if (clientValueCache.model !== model) {
    clientValueCache.value = JSON.stringify(model).slice(1, -1);
    clientValueCache.model = model;
  }
  return clientValueCache.value;
}

/** `"model":<the JSON string of model>`, the member the upstream's text is searched for. */
function serializeModelMember(model: string): string {
  if (upstreamMemberCache.model !== model) {
    upstreamMemberCache.member = `"model":${JSON.stringify(model)}`;
    upstreamMemberCache.model = model;
  }
  return upstreamMemberCache.member;
}
