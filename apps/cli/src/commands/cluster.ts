import {
  type AccountConfig,
  CLUSTER_ACCOUNTS_KEY,
  convertAccountConfigToClusterEntry,
  createPlanWindowTracker,
  type ImportCredentialsOutcome,
  importClusterCredentials,
  listReplicaHeartbeats,
  type PlanWindowState,
  parseAccountsFile,
  parseProxyConfig,
  refreshLeaseKey,
  resolvePlanWindowLimits,
  safeParseSharedCredentialsRecord,
  sharedCredentialsKey,
  writeClusterAccountsDocument,
} from '@qwen-relay/proxy';
import { createRedisStateStore, describeRedisUrl, type StateStore } from '@qwen-relay/state-store';
import { discoverQwenAccounts, readCredentialsFile } from '@qwen-relay/token-manager';
import { CliError } from '../errors/cli-error';
import { EXIT_CODES } from '../errors/exit-codes';
import type { CommandContext } from './command-context';
import { renderWindowBar } from './usage';

/** Opens the cluster's Redis from REDIS_URL (and REDIS_PASSWORD, REDIS_KEY_PREFIX), or says how to set it. */
async function openClusterStore(
  context: CommandContext,
): Promise<{ store: StateStore; where: string }> {
  const config = parseProxyConfig({ env: { ...context.env, QWEN_DIR: context.qwenDir } });
  if (config.redis === undefined) {
    throw new CliError({
      code: 'QWEN_RELAY_CLI_USAGE',
      message: 'No cluster configured: REDIS_URL is not set.',
      hint: 'Set REDIS_URL=redis://host:6379/0 (and REDIS_PASSWORD, REDIS_KEY_PREFIX if used), as for the replicas.',
      exitCode: EXIT_CODES.usage,
    });
  }
  const store = createRedisStateStore({
    url: config.redis.url,
    keyPrefix: config.redis.keyPrefix,
    connectTimeoutInMs: 3_000,
    ...(config.redis.password === undefined ? {} : { password: config.redis.password }),
  });
  // wait for the first connection, or fail with the reason
  const deadline = context.now() + 5_000;
  while (!store.status().available && context.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (!store.status().available) {
    const reason = store.status().reason ?? 'no connection';
    await store.close();
    throw new CliError({
      code: 'QWEN_RELAY_CLI_USAGE',
      message: `Cannot reach Redis at ${describeRedisUrl(config.redis.url)} (${reason}).`,
      hint: 'Check REDIS_URL and that the server runs.',
    });
  }
  return { store, where: describeRedisUrl(config.redis.url) };
}

/**
 * `qwen-relay cluster import`: copies this machine's accounts into the cluster — the accounts
 * file's entries (keys inline) and every OAuth credentials file in QWEN_DIR — so running
 * replicas serve them without a restart. Entries already in the cluster under other ids stay.
 * Asks before writing when run in a terminal (`--yes` skips it); never asks without one.
 */
export async function runClusterImport({
  yes = false,
  ...context
}: CommandContext & { yes?: boolean }): Promise<number> {
  const config = parseProxyConfig({ env: { ...context.env, QWEN_DIR: context.qwenDir } });
  const keyEntries = (config.accounts ?? []).filter((entry) => entry.type !== 'qwen-oauth');
  const listedOAuth = (config.accounts ?? []).filter((entry) => entry.type === 'qwen-oauth');
  const discovered = await discoverQwenAccounts({ qwenDir: context.qwenDir });
  const oauth: Array<{ entry: AccountConfig | { id: string; type: 'qwen-oauth' }; path: string }> =
    [
      ...listedOAuth.map((entry) => ({
        entry,
        path: entry.credentialsPath ?? '',
      })),
      ...discovered
        .filter((account) => !listedOAuth.some((entry) => entry.id === account.accountId))
        .map((account) => ({
          entry: { id: account.accountId, type: 'qwen-oauth' as const },
          path: account.credentialsPath,
        })),
    ].filter((account) => account.path !== '');
  if (keyEntries.length + oauth.length === 0) {
    context.stdout.write(
      `Nothing to import: no accounts file entries and no OAuth files in ${context.qwenDir}.\n`,
    );
    return EXIT_CODES.ok;
  }
  const { store, where } = await openClusterStore(context);
  try {
    if (context.interactive && !yes) {
      const proceed = await context.confirm({
        message: `Copy ${keyEntries.length + oauth.length} account(s) to the cluster at ${where}?`,
      });
      if (!proceed) {
        context.stdout.write('Nothing was written.\n');
        return EXIT_CODES.ok;
      }
    }
    const outcomes: Array<{
      id: string;
      type: string;
      outcome: ImportCredentialsOutcome | 'listed';
    }> = [];
    for (const { entry, path } of oauth) {
      const credentials = await readCredentialsFile(path, { accountId: entry.id });
      const outcome = await importClusterCredentials({
        store,
        accountId: entry.id,
        credentials,
        importedBy: `import@${context.env.HOSTNAME ?? 'cli'}`,
      });
      outcomes.push({ id: entry.id, type: 'qwen-oauth', outcome });
    }
    // the document: what the cluster has, with this machine's entries replacing same ids
    const existingText = await store.get(CLUSTER_ACCOUNTS_KEY);
    const existing =
      existingText === undefined
        ? []
        : (JSON.parse(existingText) as { accounts: Array<Record<string, unknown>> }).accounts;
    const local = [
      ...keyEntries.map((entry) => convertAccountConfigToClusterEntry(entry)),
      ...oauth.map(({ entry }) =>
        'origin' in entry ? convertAccountConfigToClusterEntry(entry) : { ...entry },
      ),
    ];
    const localIds = new Set(local.map((entry) => entry.id));
    const document = [...existing.filter((entry) => !localIds.has(entry.id)), ...local];
    // validated as the replicas will read it, before anything replaces what they serve
    parseAccountsFile({
      text: JSON.stringify({ accounts: document }),
      path: 'the cluster accounts',
      env: {},
      qwenDir: context.qwenDir,
    });
    await writeClusterAccountsDocument({ store, entries: document });
    for (const entry of keyEntries)
      outcomes.push({ id: entry.id, type: entry.type, outcome: 'listed' });
    for (const { id, type, outcome } of outcomes) {
      context.stdout.write(
        `${id} (${type}): ${outcome === 'listed' ? 'key copied' : `credentials ${outcome}`}\n`,
      );
    }
    context.stdout.write(
      `Imported ${outcomes.length} account(s) into ${where}; running replicas pick them up now.\n`,
    );
    return EXIT_CODES.ok;
  } finally {
    await store.close();
  }
}

/** One account as `cluster status` shows it. */
interface ClusterAccountView {
  id: string;
  type: string;
  windows: PlanWindowState[];
  credentials?: 'missing';
  version?: number;
  expiresAt?: string;
  secondsToExpiry?: number;
  updatedBy?: string;
  needsReauth?: true;
  leaseHolder?: string;
}

/**
 * `qwen-relay cluster status`: live replicas (heartbeats), the cluster's accounts (credential
 * version and expiry, who holds a refresh lease) and their plan windows. Never a secret.
 */
export async function runClusterStatus({
  json = false,
  ...context
}: CommandContext & { json?: boolean }): Promise<number> {
  const { store, where } = await openClusterStore(context);
  try {
    const nowInMs = context.now();
    const replicas = await listReplicaHeartbeats(store);
    const documentText = await store.get(CLUSTER_ACCOUNTS_KEY);
    const entries =
      documentText === undefined
        ? []
        : parseAccountsFile({
            text: documentText,
            path: 'the cluster accounts',
            env: {},
            qwenDir: context.qwenDir,
          });
    const tracker = createPlanWindowTracker({ store, now: context.now });
    tracker.configure(
      entries.map((entry) => ({
        accountId: entry.id,
        limits: resolvePlanWindowLimits({ tier: entry.tier, limits: entry.limits }),
      })),
    );
    await tracker.refresh();
    tracker.close();
    const accounts: ClusterAccountView[] = await Promise.all(
      entries.map(async (entry): Promise<ClusterAccountView> => {
        const base = { id: entry.id, type: entry.type, windows: tracker.getWindows(entry.id) };
        if (entry.type !== 'qwen-oauth') return base;
        const record = safeParseSharedCredentialsRecord(
          await store.get(sharedCredentialsKey(entry.id)),
        );
        const lease = await store.get(refreshLeaseKey(entry.id));
        return {
          ...base,
          ...(record === undefined
            ? { credentials: 'missing' }
            : {
                version: record.version,
                expiresAt: new Date(record.credentials.expiry_date).toISOString(),
                secondsToExpiry: Math.round((record.credentials.expiry_date - nowInMs) / 1000),
                updatedBy: record.updatedBy,
                ...(record.needsReauth === undefined ? {} : { needsReauth: true }),
              }),
          ...(lease === undefined ? {} : { leaseHolder: lease.split(':')[0] }),
        };
      }),
    );
    if (json) {
      context.stdout.write(`${JSON.stringify({ redis: where, replicas, accounts }, null, 2)}\n`);
      return EXIT_CODES.ok;
    }
    const lines = [`Cluster at ${where}`, '', `Replicas (${replicas.length}):`];
    for (const replica of replicas) {
      lines.push(
        `  ${replica.replicaId}  ${replica.listen ?? ''}  v${replica.version}  up ${Math.round((nowInMs - replica.startedAtInMs) / 1000)} s, last beat ${Math.round((nowInMs - replica.beatAtInMs) / 1000)} s ago`,
      );
    }
    lines.push('', `Accounts (${accounts.length}):`);
    for (const account of accounts) {
      const details =
        account.version !== undefined
          ? `credentials v${account.version}, ${(account.secondsToExpiry ?? 0) > 0 ? `expires in ${account.secondsToExpiry} s` : 'expired'}${account.needsReauth ? ', NEEDS LOGIN (then cluster import)' : ''}`
          : account.credentials === 'missing'
            ? 'no credentials in the cluster'
            : 'key';
      lines.push(
        `  ${account.id} (${account.type}): ${details}${account.leaseHolder === undefined ? '' : `, refreshing on ${account.leaseHolder}`}`,
      );
      for (const window of account.windows) {
        const limit = window.limit ?? window.used;
        lines.push(
          `    ${window.name.padEnd(3)} ${renderWindowBar({ used: window.spent ? limit : window.used, limit })} ${window.used}/${window.limit ?? '–'}${window.spent ? '  SPENT' : ''}`,
        );
      }
    }
    context.stdout.write(`${lines.join('\n')}\n`);
    return EXIT_CODES.ok;
  } finally {
    await store.close();
  }
}
