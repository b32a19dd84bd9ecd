import type { UpstreamLimitKind } from '@qwen-relay/contracts';

/** The plan window a `plan-window` refusal names. */
export type SpentPlanWindow = '5h' | '7d' | '30d';

/** What {@link classifyUpstreamLimit} found. */
export interface UpstreamLimit {
  kind: UpstreamLimitKind;
  /** for `plan-window`: which window the upstream said is spent */
  window?: SpentPlanWindow;
}

const planWindowPatterns: ReadonlyArray<[RegExp, SpentPlanWindow]> = [
  [/\bhour(ly)? allocated quota exceeded/, '5h'],
  [/\bweek(ly)? allocated quota exceeded/, '7d'],
  [/\bmonth(ly)? allocated quota exceeded/, '30d'],
];

/**
 * Classifies a refusal from its status and error fields (code, type and message joined,
 * case-insensitive). Plan windows are checked before TPM because their text contains
 * "allocated quota exceeded"; burst before RPM because both speak of "rate". Returns
 * undefined for anything that is not a limit (auth, bad request, server errors).
 */
export function classifyUpstreamLimit({
  status,
  text,
}: {
  status: number;
  /** the upstream's error code, type and message (and body) joined */
  text: string;
}): UpstreamLimit | undefined {
  const lower = text.toLowerCase();
  for (const [pattern, window] of planWindowPatterns) {
    if (pattern.test(lower)) return { kind: 'plan-window', window };
  }
  if (status === 403) {
    const freeQuota = lower.includes('free') && (lower.includes('quota') || lower.includes('tier'));
    return freeQuota ? { kind: 'free-quota-exhausted' } : undefined;
  }
  if (status !== 429 && !(status >= 400 && status < 500 && /quota|rate ?limit/.test(lower))) {
    return undefined;
  }
  if (lower.includes('increased too quickly')) return { kind: 'burst' };
  if (
    lower.includes('allocated quota exceeded') ||
    lower.includes('exceeded your current quota') ||
    lower.includes('allocationquota') ||
    lower.includes('insufficient_quota')
  ) {
    return { kind: 'tokens-per-minute' };
  }
  if (
    lower.includes('requests rate limit') ||
    lower.includes('current requests list') ||
    lower.includes('ratequota') ||
    lower.includes('limit_requests')
  ) {
    return { kind: 'requests-per-minute' };
  }
  if (lower.includes('quota') && lower.includes('exceeded')) return { kind: 'tokens-per-minute' };
  if (
    lower.includes('rate limit') ||
    lower.includes('throttling') ||
    lower.includes('too many requests')
  ) {
    return { kind: 'requests-per-minute' };
  }
  // a bare 429 (qwen-code #882: sometimes with an empty body) is per-minute throttling
  return status === 429 ? { kind: 'requests-per-minute' } : undefined;
}
