/**
 * Exit codes of `qwen-relay`, documented in the README so scripts can rely on them.
 * `auth status` reports the worst state among the accounts it shows.
 */
export const EXIT_CODES = {
  /** everything worked; for `auth status`, every account is usable */
  ok: 0,
  /** the command failed (network, upstream, file system); the message says why */
  failure: 1,
  /** wrong arguments or flags */
  usage: 2,
  /** `auth status`: an access token has expired (a refresh is needed before use) */
  expired: 3,
  /** `auth status`: an account needs a login (no credentials, or the refresh token was rejected) */
  needsLogin: 4,
  /** `auth status`: a credentials file is unreadable or not valid credentials JSON */
  corrupt: 5,
  /**
   * `auth status`: credentials at risk: a running proxy holds refreshed credentials it could
   * not write (`unsaved`), or the credentials directory is not writable (`unwritable`)
   */
  atRisk: 6,
  /** interrupted by Ctrl-C; nothing was written */
  interrupted: 130,
} as const;

/** One of {@link EXIT_CODES}. */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];
