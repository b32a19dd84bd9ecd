import { EXIT_CODES } from '../errors/exit-codes';
import type { AccountReport, AccountReportState } from './account-report';

const EXIT_CODE_BY_STATE: Record<AccountReportState, number> = {
  valid: EXIT_CODES.ok,
  expiring: EXIT_CODES.ok,
  expired: EXIT_CODES.expired,
  missing: EXIT_CODES.needsLogin,
  'needs-reauth': EXIT_CODES.needsLogin,
  corrupt: EXIT_CODES.corrupt,
  unsaved: EXIT_CODES.atRisk,
  unwritable: EXIT_CODES.atRisk,
};

// the worst state decides: corrupt (5) > needs login (4) > at risk (6) > expired (3) > usable (0)
const SEVERITY = [
  EXIT_CODES.ok,
  EXIT_CODES.expired,
  EXIT_CODES.atRisk,
  EXIT_CODES.needsLogin,
  EXIT_CODES.corrupt,
];

/**
 * The exit code of `auth status`: 0 when every account `serve` would use is usable, else the
 * code of the worst state. Key accounts and OAuth files are served together, so all count.
 */
export function computeStatusExitCode({ reports }: { reports: readonly AccountReport[] }): number {
  let worst: number = EXIT_CODES.ok;
  for (const report of reports) {
    const code = EXIT_CODE_BY_STATE[report.state];
    if (
      SEVERITY.indexOf(code as (typeof SEVERITY)[number]) >
      SEVERITY.indexOf(worst as (typeof SEVERITY)[number])
    ) {
      worst = code;
    }
  }
  return worst;
}
