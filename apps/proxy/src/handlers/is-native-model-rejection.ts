import { isQwenRelayError } from '@qwen-relay/contracts';

/**
 * Whether a failed native Anthropic call was the endpoint refusing the model (a 400 or 404
 * whose message names the model, e.g. Coding Plan's `model 'x' is not supported`): such a call
 * gets one more try translated to chat, where the model may be served.
 */
export function isNativeModelRejection(error: unknown): boolean {
  if (!isQwenRelayError(error) || error.code !== 'QWEN_RELAY_UPSTREAM_BAD_REQUEST') return false;
  const fields = error as unknown as Record<string, unknown>;
  const status = typeof fields.upstreamStatus === 'number' ? fields.upstreamStatus : fields.status;
  if (status !== 400 && status !== 404) return false;
  const body =
    typeof fields.upstreamBody === 'string'
      ? fields.upstreamBody
      : JSON.stringify(fields.upstreamBody ?? '');
  return /\bmodel\b/i.test(`${error.message} ${body}`);
}
