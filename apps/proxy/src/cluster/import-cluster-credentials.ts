import type { StateStore } from '@qwen-relay/state-store';
import type { QwenCredentials } from '@qwen-relay/token-manager';
import {
  type SharedCredentialsRecord,
  safeParseSharedCredentialsRecord,
  sharedCredentialsChannel,
  sharedCredentialsKey,
} from './shared-credentials-record';

/** What importing one account's credentials did. */
export type ImportCredentialsOutcome = 'created' | 'updated' | 'unchanged';

/**
 * Copies one OAuth account's credentials into the cluster store: a new record (version 1), or
 * a new version when the pair differs from the stored one, written with compare-and-set and
 * announced so running replicas install it at once. An identical pair is left alone, so
 * importing twice never bumps the version or wakes the replicas.
 */
export async function importClusterCredentials({
  store,
  accountId,
  credentials,
  importedBy,
  now = Date.now,
}: {
  store: StateStore;
  accountId: string;
  credentials: QwenCredentials;
  importedBy: string;
  now?: () => number;
}): Promise<ImportCredentialsOutcome> {
  const key = sharedCredentialsKey(accountId);
  for (let attempt = 0; attempt < 5; attempt++) {
    const raw = await store.get(key);
    const existing = safeParseSharedCredentialsRecord(raw);
    if (
      existing !== undefined &&
      existing.credentials.access_token === credentials.access_token &&
      existing.credentials.refresh_token === credentials.refresh_token &&
      existing.needsReauth === undefined
    ) {
      return 'unchanged';
    }
    const record: SharedCredentialsRecord = {
      version: (existing?.version ?? 0) + 1,
      credentials,
      updatedAtInMs: now(),
      updatedBy: importedBy,
    };
    if (await store.compareAndSet({ key, expected: raw, value: JSON.stringify(record) })) {
      await store.publish({
        channel: sharedCredentialsChannel(accountId),
        message: String(record.version),
      });
      return existing === undefined ? 'created' : 'updated';
    }
  }
  throw new Error(
    `credentials of account '${accountId}' kept changing during the import; try again`,
  );
}
