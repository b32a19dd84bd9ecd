import { QwenRelayError, type QwenRelayErrorOptions } from '@qwen-relay/contracts';
import type { AttemptRecord } from './attempt-record';

/** Structured fields every qwen-client error may carry, on top of the project's root fields. */
export interface QwenClientErrorOptions extends Omit<QwenRelayErrorOptions, 'param'> {
  /** the upstream's `error.code` / `error.type` / `error.param`, when it sent a JSON envelope */
  upstreamCode?: string;
  upstreamType?: string;
  param?: string;
  phase?: UpstreamTimeoutPhase;
  /** attempt history of the call, set on the error the call gives up with */
  attempts?: readonly AttemptRecord[];
}

/** What a call adds to the error it gives up with. */
export interface CallOutcome {
  attempts: readonly AttemptRecord[];
  /** when an account serves again, if the call cooled one down */
  retryAfterInMs?: number;
}

/** The phases a call can time out in. */
export type UpstreamTimeoutPhase = 'connect' | 'headers' | 'idle' | 'total';

/**
 * Root of qwen-client's errors: the project's root plus what the upstream said and the attempt
 * history. Complete when constructed; `withCallOutcome` builds the final error of a call.
 */
export abstract class QwenClientError extends QwenRelayError {
  declare readonly upstreamCode?: string;
  declare readonly upstreamType?: string;
  declare readonly param?: string;
  declare readonly phase?: UpstreamTimeoutPhase;
  readonly attempts: readonly AttemptRecord[];
  /** what this error was built from, so `withCallOutcome` can build its final copy */
  readonly #options: QwenClientErrorOptions;

  constructor(options: QwenClientErrorOptions) {
    super(options);
    this.#options = options;
    this.attempts = options.attempts ?? [];
    // only set what is known: optional fields are `declare`d, so absent ones are not own properties
    if (options.upstreamCode !== undefined) this.upstreamCode = options.upstreamCode;
    if (options.upstreamType !== undefined) this.upstreamType = options.upstreamType;
    if (options.phase !== undefined) this.phase = options.phase;
  }

  /**
   * The same error (same class, fields and cause) completed with what the call learned when it
   * gave up: the attempt history and, when it cooled an account down, the Retry-After.
   */
  withCallOutcome({ attempts, retryAfterInMs }: CallOutcome): this {
    // the root constructors run again with this error's class as `new.target` (prototype, name)
    const copy = Reflect.construct(
      QwenClientError,
      [
        {
          ...this.#options,
          attempts,
          ...(retryAfterInMs === undefined ? {} : { retryAfterInMs }),
        },
      ],
      this.constructor,
    ) as this;
    // fields only the subclass sets (e.g. `streamTimeout`, `closestModels`) are taken over as
    // they are, before anyone sees the copy
    for (const key of Reflect.ownKeys(this)) {
      if (key === 'stack' || Object.hasOwn(copy, key)) continue;
      Object.defineProperty(
        copy,
        key,
        Object.getOwnPropertyDescriptor(this, key) as PropertyDescriptor,
      );
    }
    if (this.stack !== undefined) copy.stack = this.stack;
    return copy;
  }
}
