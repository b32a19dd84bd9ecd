import { QwenRelayError } from '@qwen-relay/contracts';

/** The request body is not valid JSON (400 `invalid_json`). */
export class InvalidJsonError extends QwenRelayError {
  constructor({ cause }: { cause?: unknown } = {}) {
    super({
      code: 'QWEN_RELAY_INVALID_JSON',
      message: 'We could not parse the JSON body of your request.',
      cause,
    });
  }
}

/** The request body exceeds the configured limit (413 `request_too_large`). */
export class BodyTooLargeError extends QwenRelayError {
  readonly limitInBytes: number;
  constructor({ limitInBytes }: { limitInBytes: number }) {
    super({
      code: 'QWEN_RELAY_BODY_TOO_LARGE',
      message: `Request body exceeds the limit of ${limitInBytes} bytes (BODY_LIMIT_BYTES).`,
    });
    this.limitInBytes = limitInBytes;
  }
}

/** A proxy API key is configured and the request has none or a wrong one (401). */
export class ProxyUnauthorizedError extends QwenRelayError {
  constructor() {
    super({
      code: 'QWEN_RELAY_PROXY_UNAUTHORIZED',
      message:
        'Missing or invalid API key for this proxy. Send one of PROXY_API_KEYS in the `Authorization` header (as `Bearer` and the key) or in the `x-api-key` header.',
    });
  }
}

/** No route matches the path (404 `not_found`). */
export class RouteNotFoundError extends QwenRelayError {
  constructor({ method, path }: { method: string; path: string }) {
    super({
      code: 'QWEN_RELAY_NOT_FOUND',
      message: `Unknown request URL: ${method} ${path}.`,
    });
  }
}

/** The path exists but not for this method (405 `method_not_allowed`). */
export class MethodNotAllowedError extends QwenRelayError {
  readonly allowedMethods: readonly string[];
  constructor({
    method,
    path,
    allowedMethods,
  }: { method: string; path: string; allowedMethods: readonly string[] }) {
    super({
      code: 'QWEN_RELAY_METHOD_NOT_ALLOWED',
      message: `Method ${method} is not allowed for ${path}; use ${allowedMethods.join(', ')}.`,
    });
    this.allowedMethods = allowedMethods;
  }
}

/** The model id asked for by GET /v1/models/{id} is not served (404 `model_not_found`). */
export class ModelNotFoundError extends QwenRelayError {
  constructor({ modelId }: { modelId: string }) {
    super({
      code: 'QWEN_RELAY_MODEL_NOT_FOUND',
      message: `The model '${modelId}' does not exist.`,
      param: 'model',
    });
  }
}

/**
 * The proxy is stopping and the grace period ran out before this request finished (503
 * `shutting_down`): the final SSE error event of a cut stream, or the answer of a pending call.
 */
export class ShuttingDownError extends QwenRelayError {
  constructor() {
    super({
      code: 'QWEN_RELAY_SHUTTING_DOWN',
      message:
        'qwen-relay is shutting down; the request was stopped. Retry it once the proxy is back.',
    });
  }
}

/**
 * The `Host` header names neither a loopback address nor one of `ALLOWED_HOSTS` (403
 * `forbidden_host`): the shape of a DNS-rebinding request from a web page.
 */
export class ForbiddenHostError extends QwenRelayError {
  constructor({ host }: { host: string }) {
    super({
      code: 'QWEN_RELAY_FORBIDDEN_HOST',
      message: `Host '${shorten(host)}' is not allowed. qwen-relay answers requests addressed to a loopback name (localhost, 127.0.0.1, [::1]) or to a name listed in ALLOWED_HOSTS; add that name to ALLOWED_HOSTS if it is this proxy's address (e.g. behind a reverse proxy).`,
    });
  }
}

/**
 * A browser request from a page whose `Origin` is not in `CORS_ORIGINS` (403
 * `forbidden_origin`): web pages may not use the proxy unless their origin is listed.
 */
export class ForbiddenOriginError extends QwenRelayError {
  constructor({ origin }: { origin: string }) {
    super({
      code: 'QWEN_RELAY_FORBIDDEN_ORIGIN',
      message: `Requests from web pages are refused: origin '${shorten(origin)}' is not in CORS_ORIGINS. Add it to CORS_ORIGINS to let that page use this proxy.`,
    });
  }
}

/** A POST body that is not declared as JSON (415 `unsupported_media_type`). */
export class UnsupportedMediaTypeError extends QwenRelayError {
  constructor({ contentType }: { contentType: string | undefined }) {
    super({
      code: 'QWEN_RELAY_UNSUPPORTED_MEDIA_TYPE',
      message: `Unsupported Content-Type ${contentType === undefined ? '(none)' : `'${shorten(contentType)}'`}: send the request body as JSON with 'Content-Type: application/json' (curl: -H 'Content-Type: application/json').`,
    });
  }
}

/**
 * GET / DELETE /v1/responses/{id} for a response that is not kept (404 `not_found`): never stored,
 * expired, evicted or deleted, or no response store at all.
 */
export class ResponseNotFoundError extends QwenRelayError {
  constructor({ responseId, storeEnabled }: { responseId: string; storeEnabled: boolean }) {
    super({
      code: 'QWEN_RELAY_NOT_FOUND',
      message: storeEnabled
        ? `No response found with id '${shorten(responseId)}': it was not stored (send 'store: true'), or it expired or was deleted.`
        : `No response found with id '${shorten(responseId)}': this qwen-relay keeps no responses (RESPONSES_STORE_TTL_MS is 0).`,
      param: 'response_id',
    });
  }
}

/** The response store cannot be read (503 `state_store_unavailable`): Redis down, directory unreadable. */
export class ResponseStoreUnavailableError extends QwenRelayError {
  constructor({ cause }: { cause: unknown }) {
    super({
      code: 'QWEN_RELAY_STATE_STORE_UNAVAILABLE',
      message: 'The response store cannot be reached right now; retry shortly.',
      retryable: true,
      cause,
    });
  }
}

// header values are the client's text: quote a bounded piece of them, never a whole header
function shorten(value: string): string {
  return value.length > 100 ? `${value.slice(0, 100)}…` : value;
}
