import type { RelayEvent } from '@qwen-relay/contracts';
import type { ProxyConfig } from '../config/proxy-config';
import { resolveModelAliases } from '../config/resolve-model-aliases';
import type { Logger } from '../logging/create-logger';
import { createEnvAccountConfig } from './create-env-account-config';
import {
  createKeyProxyAccount,
  createOAuthProxyAccount,
  findWantedOAuthAccounts,
  type ProxyAccount,
  type WantedOAuthAccount,
} from './create-proxy-accounts';

/** The accounts the proxy serves, kept in step with the credentials files in QWEN_DIR. */
export interface AccountRegistry {
  /** the accounts served now; a new array whenever the list changes */
  readonly current: readonly ProxyAccount[];
  /**
   * Re-discovers QWEN_DIR every CREDENTIALS_CHECK_INTERVAL_MS (OAuth only, unref'd timer) and
   * calls `onChange` with the new list whenever accounts were added or removed.
   */
  watch(options: { onChange: (accounts: readonly ProxyAccount[]) => void }): void;
  /** one re-discovery now (what the timer runs); resolves true when the list changed */
  rescan(): Promise<boolean>;
  /** stops watching and closes every account */
  close(): Promise<void>;
}

/**
 * Creates and starts the initial accounts, every source merged (ids are unique): the key-based
 * accounts (QWEN_API_KEY, accounts file), the accounts file's qwen-oauth entries and one token
 * manager per other `oauth_creds*.json` in QWEN_DIR. With no account at all, the default OAuth
 * account waits for a login.
 *
 * Later re-discovery: a new file gets a started manager and joins the rotation; an account whose
 * file is gone is dropped once it was missing at two checks in a row (a program rewriting the file
 * by delete-and-create is not a removal) and its manager closed, even if it still holds a usable
 * token: `qwen-relay auth logout`/`remove` move the file away precisely to stop using the account.
 * The credential-less default account is dropped as soon as any other account appears, and comes
 * back when the last file goes.
 */
export async function createAccountRegistry({
  config,
  logger,
  onEvent,
}: {
  config: ProxyConfig;
  logger: Logger;
  onEvent: (event: RelayEvent) => void;
}): Promise<AccountRegistry> {
  const configured =
    config.accounts ??
    (config.apiKey === undefined
      ? []
      : [createEnvAccountConfig({ apiKey: config.apiKey, apiBaseUrl: config.apiBaseUrl })]);
  const oauthAliases = resolveModelAliases({ configured: config.modelAliases, apiKeyMode: false });
  // plan and pay-as-you-go hosts know no portal aliases: names go upstream unchanged
  const keyAliases = config.modelAliases ?? {};
  const keyAccounts: readonly ProxyAccount[] = configured
    .filter((entry) => entry.type !== 'qwen-oauth')
    .map((entry) => createKeyProxyAccount({ entry, modelAliases: keyAliases }));
  const listedOAuth = configured.filter((entry) => entry.type === 'qwen-oauth');
  const keyIds = new Set(keyAccounts.map((account) => account.accountId));
  const skippedIds = new Set<string>();

  /** OAuth accounts to serve now; a discovered file whose name clashes with a key account is skipped. */
  async function findOAuth(): Promise<WantedOAuthAccount[]> {
    const found = await findWantedOAuthAccounts({
      qwenDir: config.qwenDir,
      listed: listedOAuth,
      otherAccounts: keyAccounts.length,
    });
    return found.filter((account) => {
      if (!keyIds.has(account.accountId)) return true;
      if (!skippedIds.has(account.accountId)) {
        skippedIds.add(account.accountId);
        logger.warn(
          `Ignoring ${account.credentialsPath}: the account id ${account.accountId} belongs to a key account`,
          { accountId: account.accountId },
        );
      }
      return false;
    });
  }
  const createOAuth = (account: WantedOAuthAccount) =>
    createOAuthProxyAccount({
      config,
      accountId: account.accountId,
      credentialsPath: account.credentialsPath,
      ...(account.config === undefined ? {} : { entry: account.config }),
      modelAliases: oauthAliases,
      onEvent,
    });

  const wanted = await findOAuth();
  let oauthCurrent: readonly ProxyAccount[] = wanted.map(createOAuth);
  let current: readonly ProxyAccount[] = [...keyAccounts, ...oauthCurrent];
  await Promise.all(current.map((account) => account.start()));
  // ids whose file the previous check found: only those get a second chance when missing
  let previouslyDiscovered = new Set(
    wanted.filter((account) => account.discovered).map((account) => account.accountId),
  );
  let onChange: ((accounts: readonly ProxyAccount[]) => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  let scanning: Promise<boolean> | undefined;
  let closed = false;

  async function scan(): Promise<boolean> {
    const found = await findOAuth();
    if (closed) return false;
    const foundIds = new Set(found.map((account) => account.accountId));
    const kept = oauthCurrent.filter(
      (account) => foundIds.has(account.accountId) || previouslyDiscovered.has(account.accountId),
    );
    const removed = oauthCurrent.filter((account) => !kept.includes(account));
    const keptIds = new Set(kept.map((account) => account.accountId));
    const added = found.filter((account) => !keptIds.has(account.accountId)).map(createOAuth);
    previouslyDiscovered = new Set(
      found.filter((account) => account.discovered).map((account) => account.accountId),
    );
    if (added.length === 0 && removed.length === 0) return false;

    await Promise.all(added.map((account) => account.start()));
    if (closed) {
      await Promise.all(added.map((account) => account.close()));
      return false;
    }
    // discovery order (default first, then by name), as at start-up
    const order = [...found.map((account) => account.accountId)];
    oauthCurrent = [...kept, ...added].sort(
      (left, right) => rank(order, left.accountId) - rank(order, right.accountId),
    );
    current = [...keyAccounts, ...oauthCurrent];
    for (const account of added) {
      logger.info(`Account ${account.accountId} found; now serving ${current.length} account(s)`, {
        accountId: account.accountId,
        state: account.getStatus().state,
      });
    }
    for (const account of removed) {
      logger.info(`Account ${account.accountId} removed: its credentials file is gone`, {
        accountId: account.accountId,
      });
    }
    onChange?.(current);
    // calls already holding a token of a removed account finish; the manager stops its timers
    await Promise.all(removed.map((account) => account.close()));
    return true;
  }

  /*
   * Invariant: scans never overlap (a slow readdir or start() is awaited by the next tick and by
   * rescan()), so two scans cannot both add the same new account; `closed` is checked after
   * every await, so a scan that outlives close() closes what it created instead of leaking it.
   */
  function rescan(): Promise<boolean> {
    scanning ??= scan()
      .catch((error: unknown) => {
        logger.warn('Could not re-check the credentials directory', {
          qwenDir: config.qwenDir,
          error,
        });
        return false;
      })
      .finally(() => {
        scanning = undefined;
      });
    return scanning;
  }

  return {
    get current() {
      return current;
    },
    watch(options) {
      onChange = options.onChange;
      timer ??= setInterval(() => void rescan(), config.credentialsCheckIntervalInMs);
      timer.unref();
    },
    rescan,
    async close() {
      closed = true;
      clearInterval(timer);
      await scanning;
      await Promise.all(current.map((account) => account.close()));
    },
  };
}

function rank(order: readonly string[], accountId: string): number {
  const index = order.indexOf(accountId);
  // a kept account whose file is missing this once stays where it was, at the end
  return index === -1 ? order.length : index;
}
