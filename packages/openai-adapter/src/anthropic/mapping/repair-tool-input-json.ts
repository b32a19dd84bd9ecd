import { isPlainObject } from '../../validation/field-checks';

const MAX_CUT_ATTEMPTS = 32;

/**
 * The JSON text of a tool call's `input`, always a JSON object: the upstream's arguments when they
 * already are one (kept byte for byte); else repaired — a double-encoded object unwrapped, a
 * value followed by junk (a repeated object) cut after the first value, a truncated object
 * closed at the last complete member. `{}` when nothing can be saved (the tool then reports the
 * missing fields instead of the client failing to parse).
 */
export function repairToolInputJson(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return '{}';
  const direct = parseObjectText(trimmed);
  if (direct !== undefined) return direct === trimmed ? text : direct;
  const scan = scanJson(trimmed);
  if (scan.firstValueEnd !== -1) {
    const first = parseObjectText(trimmed.slice(0, scan.firstValueEnd));
    if (first !== undefined) return first;
  }
  if (trimmed.startsWith('{')) {
    const cuts = [trimmed.length, ...scan.cutPoints.reverse()].slice(0, MAX_CUT_ATTEMPTS);
    for (const cut of cuts) {
      const candidate = closePrefix(trimmed.slice(0, cut));
      if (candidate !== undefined && parseObjectText(candidate) !== undefined) return candidate;
    }
  }
  return '{}';
}

// the object text if `text` is (or encodes, as a JSON string) a JSON object
function parseObjectText(text: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (isPlainObject(value)) return text;
  if (typeof value === 'string') {
    try {
      const inner: unknown = JSON.parse(value);
      if (isPlainObject(inner)) return JSON.stringify(inner);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * One pass over the text outside strings: where the first top-level value ends, and the places a
 * truncated object can be cut (before a `,`, after a `{` or `[`).
 */
function scanJson(text: string): { firstValueEnd: number; cutPoints: number[] } {
  let depth = 0;
  let firstValueEnd = -1;
  const cutPoints: number[] = [];
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '"') index = findStringEnd(text, index);
    else if (char === '{' || char === '[') {
      depth++;
      cutPoints.push(index + 1);
    } else if (char === '}' || char === ']') {
      depth--;
      if (depth === 0 && firstValueEnd === -1) firstValueEnd = index + 1;
    } else if (char === ',') cutPoints.push(index);
  }
  return { firstValueEnd, cutPoints };
}

// closes an open string and every open bracket of a prefix; undefined when it cannot be balanced
function closePrefix(prefix: string): string | undefined {
  const stack: string[] = [];
  let stringEnd = -1;
  for (let index = 0; index < prefix.length; index++) {
    const char = prefix[index];
    if (char === '"') index = stringEnd = findStringEnd(prefix, index);
    else if (char === '{') stack.push('}');
    else if (char === '[') stack.push(']');
    else if (char === '}' || char === ']') {
      if (stack.pop() !== char) return undefined;
    }
  }
  let closed = prefix;
  // cut inside a string (right after an escaping backslash: drop the backslash), close it
  if (stringEnd >= prefix.length) {
    closed = `${stringEnd > prefix.length ? closed.slice(0, -1) : closed}"`;
  }
  closed = closed.replace(/[\s,:]+$/, '');
  return closed + stack.reverse().join('');
}

/**
 * The index of the quote that closes the JSON string opening at `quote`; for a string the text
 * cuts off, `text.length` (or `text.length + 1` when it ends right after an escaping backslash).
 */
function findStringEnd(text: string, quote: number): number {
  let index = quote + 1;
  while (index < text.length) {
    const char = text[index];
    if (char === '"') return index;
    index += char === '\\' ? 2 : 1;
  }
  return index;
}
