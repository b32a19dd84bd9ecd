/** Learns, per model, how the local estimate compares with the upstream's real prompt counts. */
export interface TokenCalibration {
  /** Records a real `usage.prompt_tokens` next to the estimate made for the same request. */
  observe(sample: { model: string; estimatedTokens: number; actualTokens: number }): void;
  /** The estimate scaled by what was learnt for the model (unchanged before any sample); at least 1. */
  apply(request: { model: string; estimatedTokens: number }): number;
  /** The current factor of a model (1 before any sample). */
  getFactor(model: string): number;
  /**
   * Whether a sample of the model is wanted now: until one is learnt from, then once
   * `minSampleIntervalInMs` has passed since the last (a sample too small to learn from does
   * not count). For callers whose estimate is work they
   * would otherwise skip (a request passed through untranslated): the factor moves slowly, a
   * sample a second is plenty.
   */
  wantsSample(model: string): boolean;
}

// how far one sample moves the factor, and how far the factor may move from 1
const SMOOTHING = 0.2;
const MIN_FACTOR = 0.5;
const MAX_FACTOR = 2;
// small prompts say little about the ratio and a handful of models is all a proxy serves
const MIN_SAMPLE_TOKENS = 64;
const MAX_MODELS = 256;

/**
 * A per-model correction factor: an exponential moving average of actual ÷ estimated prompt
 * tokens, bounded to [0.5, 2] so one odd sample (a huge image, a cached prefix counted
 * differently) cannot wreck it. In memory; the proxy feeds it every translated request (their
 * estimate is made anyway) and, through `wantsSample`, a request a second of those it passes
 * through.
 */
export function createTokenCalibration({
  now = Date.now,
  minSampleIntervalInMs = 1000,
}: {
  now?: () => number;
  /** `wantsSample`'s least time between two samples of one model (default 1 s) */
  minSampleIntervalInMs?: number;
} = {}): TokenCalibration {
  const factors = new Map<string, number>();
  const lastSampleAtInMs = new Map<string, number>();
  return {
    observe({ model, estimatedTokens, actualTokens }) {
      if (estimatedTokens < MIN_SAMPLE_TOKENS || actualTokens <= 0) return;
      const ratio = clamp(actualTokens / estimatedTokens);
      const previous = factors.get(model);
      if (previous === undefined && factors.size >= MAX_MODELS) return;
      lastSampleAtInMs.set(model, now());
      factors.set(
        model,
        previous === undefined ? ratio : clamp(previous + SMOOTHING * (ratio - previous)),
      );
    },
    apply({ model, estimatedTokens }) {
      return Math.max(1, Math.round(estimatedTokens * (factors.get(model) ?? 1)));
    },
    getFactor: (model) => factors.get(model) ?? 1,
    wantsSample(model) {
      const last = lastSampleAtInMs.get(model);
      return last === undefined || now() - last >= minSampleIntervalInMs;
    },
  };
}

function clamp(factor: number): number {
  return Math.min(MAX_FACTOR, Math.max(MIN_FACTOR, factor));
}
