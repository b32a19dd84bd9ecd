import { QwenRelayAdapterError } from './qwen-relay-adapter-error';

/** A client request the upstream would reject; `param` names the offending field OpenAI-style. */
export class InvalidRequestError extends QwenRelayAdapterError {
  declare readonly param: string | null;

  constructor({ message, param }: { message: string; param: string | null }) {
    super({ code: 'QWEN_RELAY_INVALID_REQUEST', message, status: 400, retryable: false, param });
  }
}
