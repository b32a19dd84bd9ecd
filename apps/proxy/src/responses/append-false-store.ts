/**
 * The text of a JSON object that has no `store` member, with `"store":false` added as its last
 * member: it parses to the object with `store = false` set last, and costs a copy of the text
 * instead of serialising the object. Undefined when the text is not an object with a member
 * (the caller then serialises).
 */
export function appendFalseStore(text: string): string | undefined {
  const end = text.lastIndexOf('}');
  if (end === -1) return undefined;
  let before = end - 1;
  while (before >= 0 && isJsonWhitespace(text.charCodeAt(before))) before -= 1;
  if (before < 0 || text.charCodeAt(before) === 0x7b /* { */) return undefined;
  return `${text.slice(0, end)},"store":false${text.slice(end)}`;
}

function isJsonWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}
