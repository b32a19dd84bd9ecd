/** The outcome of one `doctor` check: one line, and a fix when something is wrong. */
export interface DoctorCheck {
  /** stable id for --json, e.g. `credentials`, `file-mode`, `clock-skew` */
  id: string;
  status: 'ok' | 'warn' | 'fail' | 'skip';
  message: string;
  /** what to do about it (warn/fail) */
  fix?: string;
}

/** Builds a check result; `fix` is dropped when undefined so --json stays tidy. */
export function createDoctorCheck({
  id,
  status,
  message,
  fix,
}: {
  id: string;
  status: DoctorCheck['status'];
  message: string;
  fix?: string | undefined;
}): DoctorCheck {
  return fix === undefined ? { id, status, message } : { id, status, message, fix };
}
