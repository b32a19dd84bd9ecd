import { QwenRelayError } from '@qwen-relay/contracts';

/** A client request the upstream would reject; `param` names the offending field OpenAI-style. */
export class InvalidRequestError extends QwenRelayError {
  declare readonly code: 'QWEN_RELAY_INVALID_REQUEST' | 'QWEN_RELAY_NESTING_TOO_DEEP';
  declare readonly param: string | null;

  constructor({
    message,
    param,
    code = 'QWEN_RELAY_INVALID_REQUEST',
  }: {
    message: string;
    param: string | null;
    code?: 'QWEN_RELAY_INVALID_REQUEST' | 'QWEN_RELAY_NESTING_TOO_DEEP';
  }) {
    super({ code, message, retryable: false, param });
  }
}

/**
 * A request body nested deeper than MAX_REQUEST_NESTING_DEPTH (400 `nesting_too_deep`); `param`
 * names the top-level field. Refused before anything recursive (serialisation) touches it.
 */
export class NestingTooDeepError extends InvalidRequestError {
  declare readonly code: 'QWEN_RELAY_NESTING_TOO_DEEP';

  constructor({ message, param }: { message: string; param: string | null }) {
    super({ message, param, code: 'QWEN_RELAY_NESTING_TOO_DEEP' });
  }
}
