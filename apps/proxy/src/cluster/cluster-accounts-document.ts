import type { StateStore } from '@qwen-relay/state-store';

/**
 * The cluster's accounts: an accounts-file document (`{"accounts": [...]}`) kept in the state
 * store under this key, with every key inline (`apiKey`, never `apiKeyEnv`) and qwen-oauth
 * entries without `credentialsPath` (their credentials are `credentials:<id>`).
 */
export const CLUSTER_ACCOUNTS_KEY = 'cluster:accounts';
/** Announces a new accounts document to running replicas. */
export const CLUSTER_ACCOUNTS_CHANNEL = 'cluster:accounts';

/** Writes the accounts document and tells every replica; returns whether it changed. */
export async function writeClusterAccountsDocument({
  store,
  entries,
}: {
  store: StateStore;
  entries: readonly Record<string, unknown>[];
}): Promise<boolean> {
  const text = JSON.stringify({ accounts: entries });
  if ((await store.get(CLUSTER_ACCOUNTS_KEY)) === text) return false;
  await store.set({ key: CLUSTER_ACCOUNTS_KEY, value: text });
  await store.publish({ channel: CLUSTER_ACCOUNTS_CHANNEL, message: String(Date.now()) });
  return true;
}
