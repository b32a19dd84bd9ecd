import { describe, expect, it } from 'vitest';
import type { AccountReport, AccountReportState } from './account-report';
import { computeStatusExitCode } from './compute-status-exit-code';

const report = (
  state: AccountReportState,
  source: AccountReport['source'] = 'oauth-file',
): AccountReport => ({
  accountId: state,
  type: source === 'oauth-file' ? 'qwen-oauth' : 'standard',
  source,
  state,
  usable: state === 'valid' || state === 'expiring',
});

describe('computeStatusExitCode', () => {
  it('is 0 when every account is usable', () => {
    expect(computeStatusExitCode({ reports: [report('valid'), report('expiring')] })).toBe(0);
  });
  it.each([
    [['valid', 'expired'], 3],
    [['expired', 'missing'], 4],
    [['needs-reauth', 'expired'], 4],
    [['corrupt', 'missing', 'expired'], 5],
  ] as const)('%j → %i (worst wins)', (states, expected) => {
    expect(computeStatusExitCode({ reports: states.map((state) => report(state)) })).toBe(expected);
  });
  it('counts OAuth files beside a key: serve uses them together', () => {
    expect(
      computeStatusExitCode({ reports: [report('valid', 'api-key'), report('corrupt')] }),
    ).toBe(5);
    expect(
      computeStatusExitCode({
        reports: [report('valid', 'api-key'), report('valid', 'accounts-file')],
      }),
    ).toBe(0);
  });
});
