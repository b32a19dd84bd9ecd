/**
 * True for `application/json`, with or without parameters (`; charset=utf-8`), in any case:
 * what the official OpenAI and Anthropic SDKs, the AI SDK, LangChain and `curl -H` send. Anything
 * else, and no header at all, is refused, because the `text/plain`, form and multipart types are
 * exactly what a web page may POST cross-site without a CORS preflight.
 */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const semicolon = contentType.indexOf(';');
  const mediaType = (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim();
  return mediaType.toLowerCase() === 'application/json';
}
