import { QwenRelayError } from '@qwen-relay/contracts';

/** Why a device authorization ended without credentials. */
export type DeviceFlowFailure = 'DENIED' | 'EXPIRED' | 'FAILED';

/** The OAuth device flow ended without credentials (denied, expired or failed). */
export class DeviceFlowError extends QwenRelayError {
  readonly failure: DeviceFlowFailure;

  constructor({
    failure,
    message,
    upstreamStatus,
    cause,
  }: { failure: DeviceFlowFailure; message: string; upstreamStatus?: number; cause?: unknown }) {
    super({
      code: `QWEN_RELAY_DEVICE_FLOW_${failure}`,
      message,
      retryable: false,
      ...(upstreamStatus === undefined ? {} : { upstreamStatus }),
      ...(cause === undefined ? {} : { cause }),
    });
    this.failure = failure;
  }
}
