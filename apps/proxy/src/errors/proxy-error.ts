/** Marker shared by every qwen-relay error, recognised across packages and worker boundaries. */
export const QWEN_RELAY_ERROR_MARKER: unique symbol = Symbol.for('qwen-relay.error') as never;

/** Root of the proxy's own errors: a stable `code` plus the HTTP status the proxy answers with. */
export class ProxyError extends Error {
  readonly [QWEN_RELAY_ERROR_MARKER] = true;
  readonly code: string;
  readonly status: number;
  readonly param?: string;

  constructor({
    code,
    status,
    message,
    param,
    cause,
  }: { code: string; status: number; message: string; param?: string; cause?: unknown }) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = new.target.name;
    this.code = code;
    this.status = status;
    if (param !== undefined) this.param = param;
  }
}
