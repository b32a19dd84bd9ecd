import type { ServerResponse } from 'node:http';

// fixed text: nothing here may depend on the error that could not be reported
const LAST_RESORT_BODY = JSON.stringify({
  error: {
    message: 'Internal error in qwen-relay',
    type: 'server_error',
    param: null,
    code: 'internal_error',
  },
});

/**
 * The answer when reporting an error failed itself (an error object whose fields throw, a
 * logger that cannot serialise it): a fixed `500 internal_error` envelope if nothing was sent
 * yet, else the connection is closed. Never throws, so a request never hangs unanswered.
 */
export function sendLastResortError(response: ServerResponse): void {
  try {
    if (response.headersSent) {
      response.destroy();
      return;
    }
    response.writeHead(500, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(LAST_RESORT_BODY).toString(),
    });
    response.end(LAST_RESORT_BODY);
  } catch {
    response.destroy();
  }
}
