import { formatDuration } from '../output/format-duration';
import { createDoctorCheck, type DoctorCheck } from './doctor-check';
import { probeUrl } from './probe-url';

// tokens are refreshed 30 s before expiry: a clock off by more than that sends expired tokens
const CLOCK_SKEW_FAIL_IN_MS = 30_000;
// the Date header has one-second resolution, plus the request's own latency
const CLOCK_SKEW_WARN_IN_MS = 5_000;

/**
 * Reaches the OAuth server (device and token endpoints live there) and compares the local
 * clock with its `Date` header, measured at the midpoint of the request.
 */
export async function checkOAuthServer({
  oauthBaseUrl,
  timeoutInMs,
  now,
}: {
  oauthBaseUrl: string;
  timeoutInMs: number;
  now: () => number;
}): Promise<DoctorCheck[]> {
  const probe = await probeUrl({ url: oauthBaseUrl, timeoutInMs, now });
  if (!probe.reachable) {
    return [
      createDoctorCheck({
        id: 'oauth-reachable',
        status: 'fail',
        message: `OAuth server ${oauthBaseUrl} is not reachable: ${probe.reason}`,
        fix: 'check the network or proxy settings, or QWEN_OAUTH_BASE_URL / --oauth-base-url',
      }),
      createDoctorCheck({
        id: 'clock-skew',
        status: 'skip',
        message: 'clock not compared (OAuth server unreachable)',
      }),
    ];
  }
  const checks = [
    createDoctorCheck({
      id: 'oauth-reachable',
      status: 'ok',
      message: `OAuth server ${oauthBaseUrl} answers (HTTP ${probe.status})`,
    }),
  ];
  const serverTimeInMs = probe.dateHeader === undefined ? Number.NaN : Date.parse(probe.dateHeader);
  if (Number.isNaN(serverTimeInMs)) {
    checks.push(
      createDoctorCheck({
        id: 'clock-skew',
        status: 'skip',
        message: 'clock not compared (no Date header)',
      }),
    );
    return checks;
  }
  // the header truncates to the second: compare with the middle of that second
  const skewInMs = (probe.sentAtInMs + probe.receivedAtInMs) / 2 - (serverTimeInMs + 500);
  const direction = skewInMs > 0 ? 'ahead of' : 'behind';
  const amount = formatDuration(skewInMs);
  if (Math.abs(skewInMs) <= CLOCK_SKEW_WARN_IN_MS) {
    checks.push(
      createDoctorCheck({
        id: 'clock-skew',
        status: 'ok',
        message: 'local clock agrees with the OAuth server',
      }),
    );
  } else {
    checks.push(
      createDoctorCheck({
        id: 'clock-skew',
        status: Math.abs(skewInMs) > CLOCK_SKEW_FAIL_IN_MS ? 'fail' : 'warn',
        message: `local clock is ${amount} ${direction} the OAuth server: token expiry is judged wrongly`,
        fix: 'synchronise the system clock (e.g. `sudo timedatectl set-ntp true`)',
      }),
    );
  }
  return checks;
}
