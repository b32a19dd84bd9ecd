import { describe, expect, it } from 'vitest';
import { readQuotaWindows } from './read-quota-windows';

describe('readQuotaWindows', () => {
  it('keeps well-formed windows and normalises the reset time to ISO', () => {
    const resetsAtInMs = Date.UTC(2026, 11, 1, 10, 0, 0);
    expect(
      readQuotaWindows({
        windows: [
          { name: '5h', used: 120, limit: 1200, resetsAtInMs },
          { name: 'week', used: 3, limit: 9000, resetsAt: '2026-12-07T00:00:00Z' },
        ],
      }),
    ).toEqual([
      { name: '5h', used: 120, limit: 1200, resetsAt: '2026-12-01T10:00:00.000Z' },
      { name: 'week', used: 3, limit: 9000, resetsAt: '2026-12-07T00:00:00.000Z' },
    ]);
  });

  it('drops malformed windows and reports none as undefined', () => {
    expect(readQuotaWindows({})).toBeUndefined();
    expect(readQuotaWindows(undefined)).toBeUndefined();
    expect(
      readQuotaWindows({
        windows: [{ name: 'x' }, { name: 'y', used: '1', limit: 2 }, null, { used: 1, limit: 2 }],
      }),
    ).toBeUndefined();
    expect(
      readQuotaWindows({ windows: [{ name: 'day', used: 1, limit: 2, resetsAt: 'soon' }] }),
    ).toEqual([{ name: 'day', used: 1, limit: 2 }]);
  });
});
