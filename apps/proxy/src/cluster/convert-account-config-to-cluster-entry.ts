import type { AccountConfig } from '../accounts/account-config';

/**
 * An accounts-file entry for the cluster's document: the key inline (the replicas have no
 * `apiKeyEnv` of the importing machine), no `credentialsPath` (OAuth credentials live in the
 * store), no derived fields (`origin`, `endpoints`).
 */
export function convertAccountConfigToClusterEntry(config: AccountConfig): Record<string, unknown> {
  const {
    origin: _origin,
    endpoints: _endpoints,
    apiKeyEnv: _apiKeyEnv,
    credentialsPath: _credentialsPath,
    ...entry
  } = config;
  return Object.fromEntries(Object.entries(entry).filter(([, value]) => value !== undefined));
}
