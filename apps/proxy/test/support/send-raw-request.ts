import { request as httpRequest } from 'node:http';

/** A raw response: status, headers and the whole body as text. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * One raw HTTP call, for what the official clients never send (foreign `Host` or `Origin`, odd
 * content types, malformed bodies). `headers.host` replaces the Host node would send.
 */
export function sendRawRequest({
  url,
  method,
  path,
  headers = {},
  body,
}: {
  url: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const call = httpRequest(`${url}${path}`, { method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      response.on('error', reject);
    });
    call.on('error', reject);
    call.end(body);
  });
}

/** The OpenAI envelope of an error response (fails the test when the body is not one). */
export function readErrorEnvelope(text: string): {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
} {
  const parsed = JSON.parse(text) as {
    error?: { message: string; type: string; param: string | null; code: string | null };
  };
  if (
    typeof parsed.error?.message !== 'string' ||
    typeof parsed.error.type !== 'string' ||
    Object.keys(parsed).length !== 1
  ) {
    throw new Error(`not an OpenAI error envelope: ${text.slice(0, 200)}`);
  }
  return parsed.error;
}
