import { type AccountStatus, createQwenOAuthTokenManager } from '@qwen-relay/token-manager';
import { inspectLock } from '@qwen-relay/token-manager/internal';
import { formatLoginCommand } from '../errors/format-error-for-user';
import type { AccountReport, AccountReportState } from './account-report';
import { formatApiEndpoint } from './format-api-endpoint';
import { formatAccountFlag } from './parse-account-name';
import { readLockOptions } from './read-lock-options';

const STATE_BY_MANAGER_STATE: Record<AccountStatus['state'], AccountReportState> = {
  ok: 'valid',
  refreshing: 'valid',
  expiring: 'expiring',
  expired: 'expired',
  'needs-reauth': 'needs-reauth',
  'no-credentials': 'missing',
  corrupt: 'corrupt',
  unsaved: 'unsaved',
  unwritable: 'unwritable',
};

/** `auth status` calls a token "expiring soon" in its last five minutes (it is still usable). */
export const EXPIRING_SOON_IN_MS = 5 * 60_000;

// token-manager's corrupt-file message names the problem ("not valid JSON", "refresh_token
// missing"); only that part is shown, next to the CLI's own next step
function extractCorruptionProblem(message: string | undefined): string {
  return /unusable: (.+?)\. It was left/.exec(message ?? '')?.[1] ?? 'not valid credentials JSON';
}

function describeState({
  state,
  accountId,
  problem,
}: {
  state: AccountReportState;
  accountId: string;
  problem: string;
}) {
  switch (state) {
    case 'expiring':
      return `Expires soon; serve refreshes it ahead of time, or run \`qwen-relay auth refresh${formatAccountFlag(accountId)}\`.`;
    case 'expired':
      return `The access token has expired; run \`qwen-relay auth refresh${formatAccountFlag(accountId)}\` (serve refreshes it by itself).`;
    case 'missing':
      return `No credentials yet; run \`${formatLoginCommand(accountId)}\`.`;
    case 'needs-reauth':
      return `The refresh token was rejected; run \`${formatLoginCommand(accountId)}\`.`;
    case 'corrupt':
      return `The file is unusable (${problem}) and is never rewritten automatically; move it aside and run \`${formatLoginCommand(accountId)}\`.`;
    default:
      return undefined;
  }
}

/**
 * Reads one OAuth account through token-manager (its file parsing, validity rules and lock
 * inspection) without refreshing anything: the manager is started with proactive refresh off
 * and closed at once.
 */
export async function inspectOAuthAccount({
  accountId,
  credentialsPath,
  lockPath,
  oauthBaseUrl,
  now,
  env = {},
}: {
  accountId: string;
  credentialsPath: string;
  lockPath: string;
  oauthBaseUrl: string;
  now: () => number;
  /** LOCK_STALE_MS */
  env?: NodeJS.ProcessEnv;
}): Promise<AccountReport> {
  const lockOptions = readLockOptions(env);
  const manager = createQwenOAuthTokenManager({
    accountId,
    credentialsPath,
    lockPath,
    oauthBaseUrl,
    proactiveRefresh: false,
    // `auth status` reads only: an interrupted write is left for `serve` or `auth refresh`
    recoverInterruptedWrites: false,
    lock: lockOptions,
    // only classifies (this manager never refreshes): "expiring" means "in its last minutes"
    refreshBufferInMs: EXPIRING_SOON_IN_MS,
    now,
  });
  let status: AccountStatus;
  try {
    await manager.start();
    status = manager.getStatus();
  } finally {
    await manager.close();
  }
  const lock = await inspectLock({ lockPath, now, ...lockOptions });
  const state = STATE_BY_MANAGER_STATE[status.state];
  const hasToken =
    state === 'valid' ||
    state === 'expiring' ||
    state === 'expired' ||
    state === 'unsaved' ||
    state === 'unwritable';
  const problem = state === 'corrupt' ? extractCorruptionProblem(status.message) : undefined;
  const message =
    state === 'unwritable'
      ? status.message
      : (describeState({ state, accountId, problem: problem ?? '' }) ?? status.message);
  return {
    accountId,
    type: 'qwen-oauth',
    source: 'oauth-file',
    credentialsPath,
    state,
    usable:
      state === 'valid' ||
      state === 'expiring' ||
      (state === 'unwritable' && (status.secondsToExpiry ?? 0) > 0),
    ...(status.expiresAtInMs === undefined ? {} : { expiresAtInMs: status.expiresAtInMs }),
    ...(hasToken ? { endpoint: formatApiEndpoint(status.resourceUrl) } : {}),
    lock: {
      path: lockPath,
      state: lock.state,
      ...(lock.ageInMs === undefined ? {} : { ageInMs: lock.ageInMs }),
      ...(lock.staleReason === undefined ? {} : { staleReason: lock.staleReason }),
    },
    ...(problem === undefined ? {} : { problem }),
    ...(message === undefined ? {} : { message }),
  };
}
