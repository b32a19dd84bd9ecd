import type { AnthropicStreamTransformState } from '../anthropic/stream/anthropic-stream-transform-state';
import {
  type AnthropicPassthroughState,
  restoreAnthropicPassthroughTransform,
} from '../anthropic/stream/create-anthropic-passthrough-transform';
import { restoreAnthropicStreamTransform } from '../anthropic/stream/create-anthropic-stream-transform';
import {
  type ResponsesPassthroughState,
  restoreResponsesPassthroughTransform,
} from '../responses/create-responses-passthrough-transform';
import { restoreResponsesStreamTransform } from '../responses/create-responses-stream-transform';
import type { ResponsesStreamTransformState } from '../responses/responses-stream-transform-state';
import type {
  ChatStreamTransformState,
  StreamFailure,
  StreamSummary,
} from './chat-stream-transform-state';
import { restoreChatStreamTransform } from './create-chat-stream-transform';
import type { RestoreOptions } from './restore-options';

/** The state of any stream transform of the adapter (told apart by `kind`; chat has none). */
export type StreamTransformState =
  | ChatStreamTransformState
  | AnthropicStreamTransformState
  | AnthropicPassthroughState
  | ResponsesStreamTransformState
  | ResponsesPassthroughState;

/** What every stream transform offers: bytes in, client SSE bytes out, an end, a portable state. */
export interface StreamTransform {
  transform(bytes: Uint8Array): Uint8Array;
  /**
   * {@link transform}, the output as it was built: text for the translations (a caller on this
   * thread writes it without an encoding step), the same bytes for a passthrough of bytes
   */
  transformForWrite(bytes: Uint8Array): string | Uint8Array;
  /** `failure`: why the stream stopped early, for transforms that report it themselves */
  end(options?: { failure?: StreamFailure }): { bytes: Uint8Array; summary: StreamSummary };
  getState(): StreamTransformState;
}

/**
 * The one registry of stream transforms, used by the inline runner and the worker task alike:
 * continues whichever transform `state` belongs to. A new protocol adds its `kind` here.
 */
export function restoreStreamTransform(
  state: StreamTransformState,
  options: RestoreOptions = {},
): StreamTransform {
  if ('kind' in state) {
    if (state.kind === 'anthropic') return restoreAnthropicStreamTransform(state, options);
    if (state.kind === 'anthropic-passthrough') {
      return restoreAnthropicPassthroughTransform(state, options);
    }
    if (state.kind === 'responses') return restoreResponsesStreamTransform(state, options);
    if (state.kind === 'responses-passthrough') {
      return restoreResponsesPassthroughTransform(state, options);
    }
  }
  return restoreChatStreamTransform(state as ChatStreamTransformState, options);
}
