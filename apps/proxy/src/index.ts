export type {
  AccountConfig,
  AccountLimits,
  AccountTier,
} from './accounts/account-config';
export { ACCOUNT_LIMIT_WINDOWS, ACCOUNT_TIERS } from './accounts/account-config';
export { AccountsFileError } from './accounts/accounts-file-error';
export { createEnvAccountConfig, ENV_ACCOUNT_ID } from './accounts/create-env-account-config';
export type { ProxyAccount } from './accounts/create-proxy-accounts';
export { listServedModels, type ServedModel } from './accounts/list-served-models';
export {
  getDefaultAccountsPath,
  type LoadedAccountsFile,
  loadAccountsFile,
  resolveAccountsPath,
} from './accounts/load-accounts-file';
export {
  ACCOUNT_ENTRY_FIELDS,
  parseAccountsFile,
} from './accounts/parse-accounts-file';
export {
  type AccountsDocument,
  readAccountsDocument,
  writeAccountsDocument,
} from './accounts/update-accounts-file';
export {
  CLUSTER_ACCOUNTS_CHANNEL,
  CLUSTER_ACCOUNTS_KEY,
  writeClusterAccountsDocument,
} from './cluster/cluster-accounts-document';
export { convertAccountConfigToClusterEntry } from './cluster/convert-account-config-to-cluster-entry';
export { listReplicaHeartbeats, type ReplicaHeartbeat } from './cluster/create-replica-heartbeat';
export {
  type ImportCredentialsOutcome,
  importClusterCredentials,
} from './cluster/import-cluster-credentials';
export {
  refreshLeaseKey,
  safeParseSharedCredentialsRecord,
  sharedCredentialsKey,
} from './cluster/shared-credentials-record';
export { formatProxyConfigHelp } from './config/format-proxy-config-help';
export { isLoopbackHost } from './config/is-loopback-host';
export {
  type EnvFile,
  type EnvFileLoad,
  getRelayConfigDirectory,
  loadEnvFile,
} from './config/load-env-file';
export { parseCommandLineFlags } from './config/parse-command-line-flags';
export { parseProxyConfig } from './config/parse-proxy-config';
export type { LogFormat, LogLevel, ProxyConfig } from './config/proxy-config';
export { ProxyConfigError } from './config/proxy-config-error';
export { SETTING_DEFINITIONS, type SettingDefinition } from './config/setting-definitions';
export {
  type HeapTuning,
  PRETENURING_FLAG,
  tuneHeapForRequests,
} from './runtime/tune-heap-for-requests';
export {
  type BatchedCounter,
  type CounterBatcher,
  createCounterBatcher,
} from './scheduling/create-counter-batcher';
export {
  createPlanWindowTracker,
  type PlanWindowState,
} from './scheduling/create-plan-window-tracker';
export { createUsageRecorder, type UsageRow } from './scheduling/create-usage-recorder';
export { resolvePlanWindowLimits } from './scheduling/plan-window-definitions';
export {
  createRequestStoppers,
  type RequestStop,
  type RequestStopperEntry,
  type RequestStoppers,
} from './server/create-request-stoppers';
export type { RunningProxy, StartProxyOptions } from './server/start-proxy';
export { startProxy } from './server/start-proxy';
export { createSseTransformRunner } from './streaming/create-sse-transform-runner';
export { createWorkerSseTransformRunner } from './streaming/create-worker-sse-transform-runner';
export { resolveAutoSseWorkers } from './streaming/resolve-auto-sse-workers';
export type { SseStreamTransformer, SseTransformRunner } from './streaming/sse-transform-runner';
