import { isRecord } from '@qwen-relay/contracts';

/** A quota window of an account as shown on the status page (the scheduling issue fills them). */
export interface QuotaWindowView {
  readonly name: string;
  readonly used: number;
  /** absent for a window the upstream reported spent without a configured limit */
  readonly limit?: number;
  /** ISO time the window resets, when known */
  readonly resetsAt?: string;
  /** no request goes to the account until the window resets */
  readonly spent?: boolean;
}

function toIsoTime(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value).toISOString();
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) {
    return new Date(value).toISOString();
  }
  return undefined;
}

/**
 * The well-formed quota windows of an account state object (`windows: [{ name, used, limit,
 * resetsAt | resetsAtInMs }]`), whichever package reports them; anything malformed is left out
 * rather than shown wrong. Returns undefined when there are none.
 */
export function readQuotaWindows(source: unknown): QuotaWindowView[] | undefined {
  if (!isRecord(source) || !Array.isArray(source.windows)) return undefined;
  const windows: QuotaWindowView[] = [];
  for (const window of source.windows as unknown[]) {
    if (!isRecord(window)) continue;
    const { name, used, limit } = window;
    if (typeof name !== 'string' || typeof used !== 'number' || !Number.isFinite(used)) continue;
    const hasLimit = typeof limit === 'number' && Number.isFinite(limit) && limit >= 0;
    // a window without a limit is shown only when it is known to be spent
    if (!hasLimit && window.spent !== true) continue;
    const resetsAt = toIsoTime(window.resetsAt ?? window.resetsAtInMs);
    windows.push({
      name,
      used,
      ...(hasLimit ? { limit: limit as number } : {}),
      ...(resetsAt === undefined ? {} : { resetsAt }),
      ...(typeof window.spent === 'boolean' ? { spent: window.spent } : {}),
    });
  }
  return windows.length === 0 ? undefined : windows;
}
