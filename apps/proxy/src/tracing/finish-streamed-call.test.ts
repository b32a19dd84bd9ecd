import { describe, expect, it } from 'vitest';
import type { ChatStreamOutcome } from '../streaming/pipe-chat-stream';
import { finishStreamedCall } from './finish-streamed-call';
import type { ModelCallTrace } from './trace-model-call';

function recordingTrace() {
  const calls: Array<{ kind: 'succeed' | 'fail'; value: unknown }> = [];
  const modelCall: ModelCallTrace = {
    run: (call) => call(),
    succeed: (facts) =>
      calls.push({ kind: 'succeed', value: typeof facts === 'function' ? facts() : facts }),
    fail: (error) => calls.push({ kind: 'fail', value: error }),
  };
  return { calls, modelCall };
}

const usage = { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 };

describe('finishStreamedCall', () => {
  it('counts a completed stream as served and ends its span with the model, reasons and tokens', () => {
    const { calls, modelCall } = recordingTrace();
    const served: unknown[] = [];
    const outcome: ChatStreamOutcome = {
      endState: 'completed',
      chunkCount: 3,
      usage,
      upstreamModel: 'qwen3-coder-plus',
      finishReasons: ['stop'],
    };
    finishStreamedCall({
      outcome,
      accountId: 'cp-1',
      attempts: 2,
      modelCall,
      recordServed: (value) => served.push(value),
    });
    expect(served).toEqual([usage]);
    expect(calls).toEqual([
      {
        kind: 'succeed',
        value: {
          responseModel: 'qwen3-coder-plus',
          finishReasons: ['stop'],
          inputTokens: 12,
          outputTokens: 5,
          accountId: 'cp-1',
          attempts: 2,
        },
      },
    ]);
  });

  it('hands the span its facts to read later: an untraced stream (the default) builds none', () => {
    let handed: unknown;
    const modelCall: ModelCallTrace = {
      run: (call) => call(),
      succeed: (facts) => {
        handed = facts;
      },
      fail: () => undefined,
    };
    finishStreamedCall({
      outcome: { endState: 'completed', chunkCount: 3, usage, upstreamModel: 'qwen3-coder-plus' },
      accountId: 'cp-1',
      attempts: 1,
      modelCall,
      recordServed: () => undefined,
    });
    expect(typeof handed).toBe('function');
    expect((handed as () => unknown)()).toEqual({
      responseModel: 'qwen3-coder-plus',
      inputTokens: 12,
      outputTokens: 5,
      accountId: 'cp-1',
      attempts: 1,
    });
  });

  it('ends a stream the client left as a success but does not count it as served', () => {
    const { calls, modelCall } = recordingTrace();
    const served: unknown[] = [];
    finishStreamedCall({
      outcome: { endState: 'client-aborted', chunkCount: 1 },
      accountId: 'a',
      attempts: 1,
      modelCall,
      recordServed: (value) => served.push(value),
    });
    expect(served).toEqual([]);
    expect(calls).toEqual([{ kind: 'succeed', value: { accountId: 'a', attempts: 1 } }]);
  });

  it('fails the span with the outcome error when the upstream broke the stream', () => {
    const { calls, modelCall } = recordingTrace();
    const error = new Error('upstream went away');
    finishStreamedCall({
      outcome: { endState: 'upstream-error', chunkCount: 2, error, usage },
      accountId: 'a',
      attempts: 1,
      modelCall,
      recordServed: () => {
        throw new Error('not served');
      },
    });
    expect(calls).toEqual([{ kind: 'fail', value: error }]);
  });
});
