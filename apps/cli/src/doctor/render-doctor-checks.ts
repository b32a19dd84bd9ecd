import type { Colors } from '../output/create-colors';
import type { DoctorCheck } from './doctor-check';

/** One line per check with its mark, and an indented fix under each problem. */
export function renderDoctorChecks({
  checks,
  colors,
}: {
  checks: readonly DoctorCheck[];
  colors: Colors;
}): string {
  const marks: Record<DoctorCheck['status'], string> = {
    ok: colors.green('✓'),
    warn: colors.yellow('!'),
    fail: colors.red('✗'),
    skip: colors.dim('-'),
  };
  const lines: string[] = [];
  for (const check of checks) {
    lines.push(`${marks[check.status]} ${check.message}`);
    if (check.fix !== undefined) lines.push(`    ${colors.cyan('fix:')} ${check.fix}`);
  }
  const failed = checks.filter((check) => check.status === 'fail').length;
  const warned = checks.filter((check) => check.status === 'warn').length;
  lines.push(
    '',
    failed + warned === 0
      ? colors.green('Everything looks fine.')
      : `${failed} problem${failed === 1 ? '' : 's'}, ${warned} warning${warned === 1 ? '' : 's'}.`,
  );
  return `${lines.join('\n')}\n`;
}
