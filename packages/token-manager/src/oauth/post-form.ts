import { parseRetryAfterInMs } from '@qwen-relay/contracts';
import { type Dispatcher, request } from 'undici';
import { TOKEN_MANAGER_USER_AGENT } from './user-agent';

/** What came back from a form POST, body read as (bounded) text. */
export interface FormPostResponse {
  status: number;
  contentType: string;
  text: string;
  /** Retry-After in ms when the server sent one */
  retryAfterInMs?: number;
}

/** Bodies past this are WAF pages or worse; nothing useful lives beyond it. */
const MAX_BODY_BYTES = 256 * 1024;

/** POSTs an `application/x-www-form-urlencoded` body via undici and reads the answer as text. */
export async function postForm({
  url,
  form,
  dispatcher,
  signal,
  timeoutInMs = 30_000,
}: {
  url: string;
  form: Record<string, string>;
  dispatcher?: Dispatcher;
  signal?: AbortSignal;
  timeoutInMs?: number;
}): Promise<FormPostResponse> {
  const response = await request(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
      'user-agent': TOKEN_MANAGER_USER_AGENT,
    },
    body: new URLSearchParams(form).toString(),
    headersTimeout: timeoutInMs,
    bodyTimeout: timeoutInMs,
    ...(dispatcher ? { dispatcher } : {}),
    ...(signal ? { signal } : {}),
  });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    const buffer = chunk as Buffer;
    if (size < MAX_BODY_BYTES) chunks.push(buffer);
    size += buffer.length;
  }
  const contentTypeHeader = response.headers['content-type'];
  const retryAfterInMs = parseRetryAfterInMs({ headers: response.headers });
  return {
    status: response.statusCode,
    contentType:
      (Array.isArray(contentTypeHeader) ? contentTypeHeader[0] : contentTypeHeader) ?? '',
    text: Buffer.concat(chunks).toString('utf8').slice(0, MAX_BODY_BYTES),
    ...(retryAfterInMs === undefined ? {} : { retryAfterInMs }),
  };
}

/** Parses a JSON object body; undefined when the body is not a JSON object. */
export function safeParseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
