import type { SharedTokenEvent } from '@qwen-relay/contracts';
import type { StateStore } from '@qwen-relay/state-store';
import { getCredentialsPath } from '@qwen-relay/token-manager';
import type { AccountConfig } from '../accounts/account-config';
import type { AccountRegistry } from '../accounts/create-account-registry';
import { createEnvAccountConfig } from '../accounts/create-env-account-config';
import { createKeyProxyAccount, type ProxyAccount } from '../accounts/create-proxy-accounts';
import { parseAccountsFile } from '../accounts/parse-accounts-file';
import type { ProxyConfig } from '../config/proxy-config';
import { resolveModelAliases } from '../config/resolve-model-aliases';
import type { Logger } from '../logging/create-logger';
import { CLUSTER_ACCOUNTS_CHANNEL, CLUSTER_ACCOUNTS_KEY } from './cluster-accounts-document';
import { createSharedOAuthProxyAccount } from './create-shared-oauth-proxy-account';

/**
 * The accounts of a replica in cluster mode: the key accounts configured locally (QWEN_API_KEY,
 * accounts file) plus the cluster's accounts document in the state store (`qwen-relay cluster
 * import`), whose OAuth accounts refresh only under the cluster lease. OAuth files in QWEN_DIR
 * are not served: a replica refreshing a file on its own would rotate the token under the
 * others. A new document (announced, or seen by the periodic check) is applied without a
 * restart: entries that did not change keep their account (and its token), others are
 * replaced, removed ones closed. While the store is unreachable the replica keeps what it has.
 */
export async function createClusterAccountRegistry({
  config,
  store,
  replicaId,
  logger,
  onSharedEvent,
}: {
  config: ProxyConfig;
  store: StateStore;
  replicaId: string;
  logger: Logger;
  onSharedEvent: (event: SharedTokenEvent) => void;
}): Promise<AccountRegistry> {
  const local: readonly AccountConfig[] = (
    config.accounts ??
    (config.apiKey === undefined
      ? []
      : [createEnvAccountConfig({ apiKey: config.apiKey, apiBaseUrl: config.apiBaseUrl })])
  ).filter((entry) => entry.type !== 'qwen-oauth');
  const oauthAliases = resolveModelAliases({ configured: config.modelAliases, apiKeyMode: false });
  const keyAliases = config.modelAliases ?? {};
  const accountsById = new Map<string, { fingerprint: string; account: ProxyAccount }>();
  let current: readonly ProxyAccount[] = [];
  let lastDocument: string | undefined;
  let onChange: ((accounts: readonly ProxyAccount[]) => void) | undefined;
  let closed = false;

  const create = (entry: AccountConfig): ProxyAccount =>
    entry.type === 'qwen-oauth'
      ? createSharedOAuthProxyAccount({
          config,
          entry,
          store,
          replicaId,
          modelAliases: oauthAliases,
          mirrorPath: config.clusterMirrorCredentials
            ? getCredentialsPath({ qwenDir: config.qwenDir, accountId: entry.id })
            : undefined,
          onEvent: onSharedEvent,
        })
      : createKeyProxyAccount({ entry, modelAliases: keyAliases });

  /** the entries to serve: the cluster's document, then local key accounts it does not name */
  const readEntries = (document: string | undefined): AccountConfig[] => {
    const shared =
      document === undefined
        ? []
        : parseAccountsFile({
            text: document,
            path: `the cluster accounts (${CLUSTER_ACCOUNTS_KEY})`,
            env: {},
            qwenDir: config.qwenDir,
          });
    const sharedIds = new Set(shared.map((entry) => entry.id));
    return [...shared, ...local.filter((entry) => !sharedIds.has(entry.id))];
  };

  async function apply(document: string | undefined): Promise<boolean> {
    let entries: AccountConfig[];
    try {
      entries = readEntries(document);
    } catch (error) {
      logger.error('The cluster accounts document is invalid; keeping the accounts served now', {
        error,
      });
      return false;
    }
    lastDocument = document;
    const next = new Map<string, { fingerprint: string; account: ProxyAccount }>();
    const started: ProxyAccount[] = [];
    for (const entry of entries) {
      const { origin: _origin, ...fields } = entry;
      const fingerprint = JSON.stringify(fields);
      const existing = accountsById.get(entry.id);
      if (existing?.fingerprint === fingerprint) {
        next.set(entry.id, existing);
        continue;
      }
      const account = create(entry);
      started.push(account);
      next.set(entry.id, { fingerprint, account });
    }
    await Promise.all(started.map((account) => account.start()));
    const removed = [...accountsById.values()].filter(
      ({ account }) => next.get(account.accountId)?.account !== account,
    );
    if (started.length === 0 && removed.length === 0) return false;
    accountsById.clear();
    for (const [id, value] of next) accountsById.set(id, value);
    current = [...next.values()].map(({ account }) => account);
    logger.info(`Cluster accounts: serving ${current.length} account(s)`, {
      accounts: current.map((account) => account.accountId),
    });
    onChange?.(current);
    await Promise.all(removed.map(({ account }) => account.close()));
    return true;
  }

  const readDocument = async (): Promise<{ ok: boolean; document?: string }> => {
    try {
      const document = await store.get(CLUSTER_ACCOUNTS_KEY);
      return document === undefined ? { ok: true } : { ok: true, document };
    } catch (error) {
      logger.warn(
        'Cannot read the cluster accounts from the state store; keeping the current ones',
        {
          error: error instanceof Error ? error.message : String(error),
        },
      );
      return { ok: false };
    }
  };

  /** a Redis that restarted empty lost the document: write back the one served (only if absent) */
  const restoreDocument = async (): Promise<void> => {
    if (lastDocument === undefined) return;
    const written = await store
      .compareAndSet({ key: CLUSTER_ACCOUNTS_KEY, expected: undefined, value: lastDocument })
      .catch(() => false);
    if (written)
      logger.warn('The cluster accounts were missing from Redis; wrote back the ones served');
  };

  let checking: Promise<boolean> | undefined;
  const rescan = (): Promise<boolean> => {
    checking ??= (async () => {
      const { ok, document } = await readDocument();
      if (!ok || closed || (document === lastDocument && current.length > 0)) return false;
      if (document === undefined && lastDocument !== undefined) {
        // gone, not emptied: an import always writes a document; keep serving and restore it
        await restoreDocument();
        return false;
      }
      return apply(document);
    })().finally(() => {
      checking = undefined;
    });
    return checking;
  };

  const initial = await readDocument();
  await apply(initial.document);
  const unsubscribe = await store
    .subscribe({ channel: CLUSTER_ACCOUNTS_CHANNEL, listener: () => void rescan() })
    .catch(() => undefined);
  const stopWatchingStatus = store.onStatusChange((status) => {
    if (status.available) void restoreDocument().then(() => rescan());
  });
  let timer: NodeJS.Timeout | undefined;

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
      stopWatchingStatus();
      clearInterval(timer);
      await checking;
      await unsubscribe?.();
      await Promise.all(current.map((account) => account.close()));
    },
  };
}
