import type { IncomingHttpHeaders } from 'node:http';
import { readPresentedApiKey } from '../http/create-proxy-key-check';
import { deriveSessionKey } from './derive-session-key';

/** The client a request came from: its PROXY_API_KEYS name, or `anonymous`. */
export function identifyClient({
  headers,
  clientNames,
}: {
  headers: IncomingHttpHeaders;
  clientNames: Readonly<Record<string, string>>;
}): string {
  const key = readPresentedApiKey(headers);
  // the key was already accepted by the proxy-key check; this only names it
  return (
    (key !== undefined && Object.hasOwn(clientNames, key) ? clientNames[key] : undefined) ??
    'anonymous'
  );
}

/** Text of a message's content (a string, or the text parts of a part list). */
function readContentText(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  const texts = content.flatMap((part) =>
    typeof part === 'object' &&
    part !== null &&
    typeof (part as { text?: unknown }).text === 'string'
      ? [(part as { text: string }).text]
      : [],
  );
  return texts.length === 0 ? undefined : texts.join('\n');
}

/**
 * The conversation key of a chat-shaped request: `x-session-id`, else `user`, else the system
 * prompt and first user message (also used for Anthropic `system` + `messages` and Responses
 * `instructions` + `input`, which callers pass in the same shape).
 */
export function deriveRequestSessionKey({
  headers,
  user,
  systemText,
  messages,
}: {
  headers: IncomingHttpHeaders;
  user?: unknown;
  /** a separate system prompt (Anthropic `system`, Responses `instructions`) */
  systemText?: unknown;
  messages?: ReadonlyArray<{ role?: unknown; content?: unknown }> | undefined;
}): string | undefined {
  const sessionHeader = headers['x-session-id'];
  // a session id or a user decides alone: the prompt texts are not read
  if (typeof sessionHeader === 'string' && sessionHeader !== '') {
    return deriveSessionKey({ sessionId: sessionHeader });
  }
  if (typeof user === 'string' && user !== '') return deriveSessionKey({ user });
  const system =
    readContentText(systemText) ??
    readContentText(
      messages?.find((message) => message.role === 'system' || message.role === 'developer')
        ?.content,
    );
  const firstUser = readContentText(messages?.find((message) => message.role === 'user')?.content);
  return deriveSessionKey({ systemText: system, firstUserText: firstUser });
}
