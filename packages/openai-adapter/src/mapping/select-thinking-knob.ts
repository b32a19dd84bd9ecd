/**
 * Which thinking control a model takes (docs/plans-and-protocols.md §3.2): qwen3.8 and later
 * take `reasoning_effort` in tiers (`low | medium | xhigh`, `none` turns thinking off); older
 * families take `enable_thinking` plus `thinking_budget`.
 */
export type ThinkingKnob = 'reasoning-effort' | 'thinking-budget';

/** The thinking control of `model` (a client or upstream model name). */
export function selectThinkingKnob(model: string): ThinkingKnob {
  const version = readQwenVersion(model);
  return version !== undefined && version >= 3.8 ? 'reasoning-effort' : 'thinking-budget';
}

/**
 * Models that always think: thinking can be tuned but never turned off (DashScope answers 400
 * "enable_thinking … restricted to true" otherwise): qwen3.8-max-preview, `*-thinking*`
 * snapshots, QwQ and DeepSeek-R1.
 */
export function isThinkingOnlyModel(model: string): boolean {
  const name = model.toLowerCase();
  return (
    name === 'qwen3.8-max-preview' ||
    /(^|-)thinking(-|$)/.test(name) ||
    name.startsWith('qwq') ||
    /(^|-)r1(-|$)/.test(name)
  );
}

// `qwen3.8-max` → 3.8, `qwen3-coder-plus` → 3, `qwen-max` → undefined; only real Qwen family
// versions count (not parameter sizes like qwen-14b or names like deepseek-r1-distill-qwen-32b)
function readQwenVersion(model: string): number | undefined {
  const match = /^qwen(\d)(?:\.(\d))?(?:-|$)/i.exec(model.trim());
  if (!match) return undefined;
  return Number(`${match[1]}.${match[2] ?? '0'}`);
}
