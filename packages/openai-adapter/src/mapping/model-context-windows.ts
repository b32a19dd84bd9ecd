/**
 * Context window (input + output tokens) per model id, from Alibaba's model pages: the Qwen3.5+
 * `plus`/`flash` line and the Qwen3 coders take 1,000,000; Qwen3-Max and the VL models
 * 262,144; the text-embedding models take 8,192 per input. Clients size their context from it
 * (Claude Code compacts by it).
 */
export const DEFAULT_CONTEXT_WINDOWS: Readonly<Record<string, number>> = Object.freeze({
  'coder-model': 1_000_000,
  'qwen3-coder-plus': 1_000_000,
  'qwen3-coder-flash': 1_000_000,
  'qwen3-coder-next': 1_000_000,
  'qwen3-max': 262_144,
  'vision-model': 262_144,
  'qwen3-vl-plus': 262_144,
  'text-embedding-v4': 8_192,
  'text-embedding-v3': 8_192,
});

// a model we know nothing about gets a window every current Qwen model has, so nothing overflows
const FALLBACK_CONTEXT_WINDOW = 131_072;

/** The context window of a model id (a client name or an upstream id). */
export function getContextWindow({
  model,
  contextWindows = DEFAULT_CONTEXT_WINDOWS,
}: {
  model: string;
  contextWindows?: Readonly<Record<string, number>>;
}): number {
  const known = Object.hasOwn(contextWindows, model) ? contextWindows[model] : undefined;
  if (known !== undefined) return known;
  if (/(^|-)vl(-|$)|vision/.test(model)) return 262_144;
  if (/^qwen3\.\d+-(plus|flash)/.test(model)) return 1_000_000;
  if (/^qwen3(\.\d+)?-max/.test(model)) return 262_144;
  return FALLBACK_CONTEXT_WINDOW;
}
