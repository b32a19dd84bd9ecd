import { redactSecrets } from '@qwen-relay/contracts';
import {
  restoreStreamTransform,
  type StreamFailure,
  type StreamSummary,
  type StreamTransform,
  type StreamTransformState,
} from '@qwen-relay/openai-adapter';
import { Piscina } from 'piscina';
import { createSseWorkerExecArgv } from './create-sse-worker-exec-argv';
import type { SseTransformRunner } from './sse-transform-runner';

interface TaskResult {
  state: StreamTransformState;
  output: Uint8Array;
  summary?: StreamSummary;
}

const EMPTY = new Uint8Array(0);
const textDecoder = new TextDecoder();
const textEncoder = new TextEncoder();

/**
 * The task that wrote the stream's error event ran in a worker, which does not know the secrets
 * this thread holds: the event is redacted by value once more here (once per stream at most).
 */
function redactErrorOutput(output: Uint8Array): Uint8Array {
  return textEncoder.encode(redactSecrets(textDecoder.decode(output)));
}

/**
 * Runs the stream transforms (chat, Anthropic or Responses, by state) on a piscina pool: one task per
 * value of the upstream body, which holds every read that arrived while the stream's previous task
 * was in flight (bench/README.md, "Thirteenth pass": one task per read made ~13 tasks per stream-8
 * request, joined reads ~2).
 * With `inlineBelowBytes`, a read smaller than that is transformed on the main thread instead (a task
 * costs the main thread more than a small read's transform: bench/README.md, "SSE workers"); the
 * stream's state moves between the two with getState / restoreStreamTransform, so the output is the
 * same bytes either way.
 *
 * Ordering invariant: a stream's state travels inside each task and comes back with its result,
 * and the next task of that stream is only submitted once the previous result arrived (the proxy
 * awaits every `transform` before reading on). So batches of one stream are transformed strictly
 * in order even though different streams run on different threads at the same time.
 */
export function createWorkerSseTransformRunner({
  threads,
  inlineBelowBytes = 0,
  taskFilename,
}: {
  threads: number;
  /** reads smaller than this many bytes are transformed inline (0: every read goes to a worker) */
  inlineBelowBytes?: number;
  /** the task module (default: the adapter's `sse-transform-task`) */
  taskFilename?: string;
}): SseTransformRunner {
  const pool = new Piscina({
    filename: taskFilename ?? import.meta.resolve('@qwen-relay/openai-adapter/sse-transform-task'),
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: Number.POSITIVE_INFINITY,
    // the task is loaded with import() only: require() of it can abort the process (see there)
    execArgv: createSseWorkerExecArgv(),
  });

  return {
    mode: 'workers',
    threads,
    get queueSize() {
      return pool.queueSize;
    },
    createStream({ initialState }) {
      // the initial state is built on the main thread: cheap, and identical to the inline path
      let state = initialState;
      // set while the stream is being transformed inline: then it, not `state`, is current
      let inline: StreamTransform | undefined;

      const takeState = (): StreamTransformState => {
        if (inline !== undefined) {
          state = inline.getState();
          inline = undefined;
        }
        return state;
      };

      async function runTask(
        chunks: Uint8Array[],
        end: boolean,
        failure?: StreamFailure,
      ): Promise<TaskResult> {
        const current = takeState();
        const result = (await pool.run(
          failure === undefined
            ? { state: current, chunks, end }
            : { state: current, chunks, end, failure },
          { transferList: chunks.map((chunk) => chunk.buffer as ArrayBuffer) },
        )) as TaskResult;
        const errorWritten = current.error === null && result.state.error !== null;
        state = result.state;
        return errorWritten ? { ...result, output: redactErrorOutput(result.output) } : result;
      }

      return {
        transform(chunk) {
          if (chunk.byteLength === 0) return EMPTY;
          if (chunk.byteLength < inlineBelowBytes) {
            inline ??= restoreStreamTransform(state);
            return inline.transform(chunk);
          }
          // copy into a buffer of our own: upstream chunks may be views on a pooled socket buffer,
          // which must not be detached by the transfer
          return runTask([new Uint8Array(chunk)], false).then((result) => result.output);
        },
        async end(options) {
          if (inline !== undefined) return inline.end(options);
          const result = await runTask([], true, options?.failure);
          if (result.summary === undefined) {
            throw new Error('sse-transform-task returned no summary for the final task');
          }
          return { bytes: result.output, summary: result.summary };
        },
      };
    },
    close: () => pool.destroy(),
  };
}
