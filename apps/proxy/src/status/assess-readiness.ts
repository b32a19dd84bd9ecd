import { type AccountView, isAccountServing } from './describe-accounts';

/** Whether the proxy should get traffic, and why not when it should not. */
export type Readiness =
  | { ready: true; usableAccounts: number }
  | { ready: false; reason: 'draining' | 'no-usable-account'; message: string };

/**
 * Ready means: not draining (shutdown started) and at least one account can serve now (a usable
 * token, not cooling down). A load balancer then sends traffic only where it can be answered.
 */
export function assessReadiness({
  accounts,
  draining,
}: {
  accounts: readonly AccountView[];
  draining: boolean;
}): Readiness {
  if (draining) {
    return { ready: false, reason: 'draining', message: 'The proxy is shutting down.' };
  }
  const usableAccounts = accounts.filter(isAccountServing).length;
  if (usableAccounts > 0) return { ready: true, usableAccounts };
  const states = accounts
    .map(
      (account) =>
        `${account.accountId}: ${account.coolingDownUntil === undefined ? account.state : `cooling down (${account.cooldownReason ?? 'limit'})`}`,
    )
    .join(', ');
  return {
    ready: false,
    reason: 'no-usable-account',
    message: `No account can serve a request now (${states || 'no accounts'}).`,
  };
}
