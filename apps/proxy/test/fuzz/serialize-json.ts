/**
 * JSON.stringify without recursion, for test bodies nested deeper than JSON.stringify can go
 * (it overflows the stack at a few thousand levels). Same output for plain JSON values.
 */
export function serializeJson(value: unknown): string {
  const parts: string[] = [];
  // a stack of pending work: a value to write, or a literal piece of text
  const stack: Array<{ value: unknown } | { text: string }> = [{ value }];
  while (stack.length > 0) {
    const item = stack.pop() as { value: unknown } | { text: string };
    if ('text' in item) {
      parts.push(item.text);
      continue;
    }
    const current = item.value;
    if (typeof current !== 'object' || current === null) {
      parts.push(JSON.stringify(current) ?? 'null');
      continue;
    }
    const isArray = Array.isArray(current);
    const entries = isArray
      ? Array.from(current as unknown[], (child) => [undefined, child] as const)
      : Object.entries(current).filter(([, child]) => child !== undefined);
    const pending: Array<{ value: unknown } | { text: string }> = [{ text: isArray ? '[' : '{' }];
    entries.forEach(([key, child], index) => {
      if (index > 0) pending.push({ text: ',' });
      if (key !== undefined) pending.push({ text: `${JSON.stringify(key)}:` });
      pending.push({ value: child === undefined ? null : child });
    });
    pending.push({ text: isArray ? ']' : '}' });
    for (let index = pending.length - 1; index >= 0; index--) stack.push(pending[index] as never);
  }
  return parts.join('');
}
