import type { IncomingMessage } from 'node:http';

/** A request body read in full, with its parsed form. */
export interface ReadBody {
  raw: Buffer;
  /** 'json' | 'form' when the body parsed as the declared content type */
  kind: 'json' | 'form' | 'text' | 'empty';
  /** parsed JSON value, form fields as an object, or the raw text */
  parsed: unknown;
}

/** Thrown when a body exceeds the limit; the server answers 413. */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
}

/** Reads the whole request body (bounded); form bodies by content type, anything else as JSON if it parses. */
export async function readRequestBody({
  request,
  maxBytes,
}: {
  request: IncomingMessage;
  maxBytes: number;
}): Promise<ReadBody> {
  const parts: Buffer[] = [];
  let length = 0;
  // plain events rather than an async iterator: this runs on every request of the benchmarks
  await new Promise<void>((resolve, reject) => {
    request.on('data', (part: Buffer) => {
      length += part.length;
      if (length > maxBytes) {
        request.removeAllListeners('data');
        reject(new BodyTooLargeError(`body larger than ${maxBytes} bytes`));
        return;
      }
      parts.push(part);
    });
    request.once('end', resolve);
    request.once('error', reject);
    request.once('close', () => {
      if (!request.complete) reject(new Error('request aborted'));
    });
  });
  const raw = parts.length === 1 ? parts[0]! : Buffer.concat(parts, length);
  if (length === 0) return { raw, kind: 'empty', parsed: undefined };
  const text = raw.toString('utf8');
  const contentType = (request.headers['content-type'] ?? '').toLowerCase();
  if (contentType.includes('application/x-www-form-urlencoded')) {
    return { raw, kind: 'form', parsed: Object.fromEntries(new URLSearchParams(text)) };
  }
  // lenient like the portal: any other content type is tried as JSON (fetch sends text/plain)
  try {
    return { raw, kind: 'json', parsed: JSON.parse(text) as unknown };
  } catch {
    return { raw, kind: 'text', parsed: text };
  }
}
