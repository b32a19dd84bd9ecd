import { describe, expect, it } from 'vitest';
import { isNativeModelRejection } from './is-native-model-rejection';

const upstreamError = (fields: Record<string, unknown>) => ({
  [Symbol.for('qwen-relay.error')]: true,
  code: 'QWEN_RELAY_UPSTREAM_BAD_REQUEST',
  message: 'upstream rejected the request',
  ...fields,
});

describe('isNativeModelRejection', () => {
  it('recognises a 400/404 that names the model', () => {
    expect(
      isNativeModelRejection(
        upstreamError({
          upstreamStatus: 400,
          upstreamBody: { error: { message: "model 'glm-9' is not supported" } },
        }),
      ),
    ).toBe(true);
    expect(
      isNativeModelRejection(upstreamError({ status: 404, message: 'The model does not exist' })),
    ).toBe(true);
  });

  it('leaves other failures alone', () => {
    expect(
      isNativeModelRejection(
        upstreamError({ upstreamStatus: 400, upstreamBody: 'max_tokens too large' }),
      ),
    ).toBe(false);
    expect(
      isNativeModelRejection(upstreamError({ upstreamStatus: 429, message: 'model overloaded' })),
    ).toBe(false);
    expect(
      isNativeModelRejection({
        ...upstreamError({ upstreamStatus: 400 }),
        code: 'QWEN_RELAY_UPSTREAM_RATE_LIMITED',
      }),
    ).toBe(false);
    expect(isNativeModelRejection(new Error('model'))).toBe(false);
  });
});
