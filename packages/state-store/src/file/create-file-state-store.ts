import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { StateStoreError } from '../errors/state-store-error';
import { createChannelHub } from '../operations/create-channel-hub';
import {
  applyStateOperation,
  pruneExpiredStateEntries,
  readStateEntry,
  type StateOperation,
  type StateOperationResult,
} from '../operations/state-entries';
import { validateStateArguments } from '../operations/validate-state-arguments';
import type { StateStore } from '../state-store';
import {
  createEmptyStateFileContent,
  parseStateFile,
  type StateFileContent,
  serializeStateFile,
} from './state-file-format';
import { withStateFileLock } from './state-file-lock';

/** Options of {@link createFileStateStore}. */
export interface FileStateStoreOptions {
  /** the proxy's state directory; created 0700 when missing */
  directory: string;
  /** default `state.json` */
  fileName?: string;
  /** how often subscribers look for messages other processes published (default 250 ms) */
  pollIntervalInMs?: number;
  /** published messages are kept this long for slower readers (default 60 s) */
  messageRetentionInMs?: number;
  now?: () => number;
  /** told about recoveries: an abandoned lock removed, a corrupt file moved aside */
  onWarning?: (message: string) => void;
  /**
   * the least time between the starts of two batch writes (default 100 ms): under a steady
   * stream of mutations, those arriving within it share one lock, read and rename; the first
   * mutation after a quiet spell is written at once. A read waits for the mutations queued
   * before it (read-your-writes), and `close` flushes without waiting.
   */
  minBatchIntervalInMs?: number;
}

type PendingWrite =
  | { kind: 'operation'; operation: StateOperation }
  | { kind: 'publish'; channel: string; message: string }
  /** several increments in one queue entry, applied together */
  | { kind: 'increments'; operations: StateOperation[] }
  /** writes nothing: resolves once everything queued before it is written (a read's wait) */
  | { kind: 'barrier' };

interface QueuedWrite {
  write: PendingWrite;
  resolve: (result: StateOperationResult | number[]) => void;
  reject: (error: unknown) => void;
}

const MAX_KEPT_MESSAGES = 512;

/**
 * The embedded {@link StateStore}: one JSON file per state directory, safe with several
 * processes on one directory. Invariant: every mutation is applied under the directory's lock
 * file to the file as it is on disk (read, apply, write to a temp file, rename), so two
 * proxies never lose each other's increments or both win a compare-and-set. Mutations that
 * arrive while a write is in flight, or within `minBatchIntervalInMs` of the last one, are
 * batched into the next one (one lock, one read, one rename per batch: at a thousand requests
 * a second, a write per batch of mutations instead of hundreds). Writes are not fsynced: a power loss may lose the last counts, never
 * the file. Messages published here reach other processes' subscribers through the file,
 * which they poll while they have subscribers.
 */
export function createFileStateStore({
  directory,
  fileName = 'state.json',
  pollIntervalInMs = 250,
  messageRetentionInMs = 60_000,
  now = Date.now,
  onWarning,
  minBatchIntervalInMs = 100,
}: FileStateStoreOptions): StateStore {
  const filePath = join(directory, fileName);
  const lockPath = `${filePath}.lock`;
  const origin = randomUUID();
  const hub = createChannelHub();
  /*
   * Invariant: `cache.content` is the file as it was when its inode, size and mtime were
   * `cache.signature`. Both are always replaced together, by a read or by a write, so a read
   * that finishes after a concurrent write can only leave an older but consistent pair, which
   * the next stat sees as changed and reloads. (Replacing them apart once let a batch apply
   * to content older than the file and lose the increments written just before.)
   */
  let cache: { content: StateFileContent; signature: string | undefined } = {
    content: createEmptyStateFileContent(),
    signature: undefined,
  };
  let lastDeliveredSequence: number | undefined;
  let queue: QueuedWrite[] = [];
  let flushing: Promise<void> | undefined;
  /** when the last batch started (monotonic clock), and how to cut the pause before the next */
  let lastBatchStartedAtInMs = Number.NEGATIVE_INFINITY;
  let endPause: (() => void) | undefined;
  let closing = false;
  let pollTimer: NodeJS.Timeout | undefined;
  let closed = false;
  let directoryReady: Promise<void> | undefined;

  const ensureDirectory = (): Promise<void> => {
    directoryReady ??= mkdir(directory, { recursive: true, mode: 0o700 })
      .then(() => undefined)
      .catch((error: unknown) => {
        directoryReady = undefined;
        throw new StateStoreError({
          code: 'QWEN_RELAY_STATE_STORE_UNAVAILABLE',
          message: `cannot create the state directory ${directory} (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
          retryable: true,
          cause: error,
        });
      });
    return directoryReady;
  };

  const signatureOf = async (): Promise<string | undefined> => {
    try {
      const stats = await stat(filePath);
      return `${stats.ino}:${stats.size}:${stats.mtimeMs}`;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  };

  /** the file's content, re-read when it changed since we last saw it; a corrupt file is moved aside */
  const loadIfChanged = async (): Promise<StateFileContent> => {
    const signature = await signatureOf();
    if (signature !== undefined && signature === cache.signature) return cache.content;
    const replace = (content: StateFileContent, withSignature: string | undefined) => {
      cache = { content, signature: withSignature };
      return content;
    };
    if (signature === undefined) return replace(createEmptyStateFileContent(), undefined);
    let text: string;
    try {
      text = await readFile(filePath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return replace(createEmptyStateFileContent(), undefined);
      }
      throw error;
    }
    try {
      return replace(parseStateFile(text), signature);
    } catch (error) {
      const asidePath = `${filePath}.corrupt-${now()}`;
      await rename(filePath, asidePath).catch(() => undefined);
      onWarning?.(
        `state file ${filePath} could not be read (${(error as Error).message}); kept it as ${asidePath} and started with empty state`,
      );
      return replace(createEmptyStateFileContent(), undefined);
    }
  };

  const persist = async (content: StateFileContent): Promise<void> => {
    const tempPath = `${filePath}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      const handle = await open(tempPath, 'wx', 0o600);
      try {
        await handle.writeFile(serializeStateFile(content), 'utf8');
      } finally {
        await handle.close();
      }
      await rename(tempPath, filePath);
    } catch (error) {
      await unlink(tempPath).catch(() => undefined);
      throw new StateStoreError({
        code: 'QWEN_RELAY_STATE_STORE_UNAVAILABLE',
        message: `cannot write the state file ${filePath} (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
        retryable: true,
        cause: error,
      });
    }
    // under the lock nobody else writes: the file now is exactly `content`
    cache = { content, signature: await signatureOf() };
  };

  const flushBatch = async (batch: QueuedWrite[]): Promise<void> => {
    if (batch.every(({ write }) => write.kind === 'barrier')) {
      for (const queued of batch) queued.resolve(undefined);
      return;
    }
    try {
      await ensureDirectory();
      const results = await withStateFileLock(
        { lockPath, now, ...(onWarning === undefined ? {} : { onWarning }) },
        async () => {
          const snapshot = await loadIfChanged();
          const nowInMs = now();
          const batchResults: Array<StateOperationResult | number[]> = [];
          for (const { write } of batch) {
            if (write.kind === 'barrier') {
              batchResults.push(undefined);
            } else if (write.kind === 'increments') {
              batchResults.push(
                write.operations.map(
                  (operation) =>
                    applyStateOperation({
                      entries: snapshot.entries,
                      operation,
                      nowInMs,
                    }) as number,
                ),
              );
            } else if (write.kind === 'operation') {
              batchResults.push(
                applyStateOperation({
                  entries: snapshot.entries,
                  operation: write.operation,
                  nowInMs,
                }),
              );
            } else {
              snapshot.messages.push({
                sequence: snapshot.nextSequence,
                channel: write.channel,
                message: write.message,
                origin,
                publishedAtInMs: nowInMs,
              });
              snapshot.nextSequence += 1;
              batchResults.push(undefined);
            }
          }
          pruneExpiredStateEntries({ entries: snapshot.entries, nowInMs });
          snapshot.messages = snapshot.messages
            .filter((message) => nowInMs - message.publishedAtInMs <= messageRetentionInMs)
            .slice(-MAX_KEPT_MESSAGES);
          await persist(snapshot);
          return batchResults;
        },
      );
      for (const [index, queued] of batch.entries()) queued.resolve(results[index]);
    } catch (error) {
      // the cached content may hold the failed batch's effects: forget it, the file is the truth
      cache = { content: createEmptyStateFileContent(), signature: undefined };
      for (const queued of batch) queued.reject(error);
    }
  };

  /** waits out the rest of the interval since the last batch began, unless cut short */
  const pauseBeforeBatch = async (): Promise<void> => {
    const waitInMs = lastBatchStartedAtInMs + minBatchIntervalInMs - performance.now();
    if (waitInMs <= 0 || closing) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => endPause?.(), waitInMs);
      endPause = () => {
        clearTimeout(timer);
        endPause = undefined;
        resolve();
      };
    });
  };

  const drain = async (): Promise<void> => {
    while (queue.length > 0) {
      await pauseBeforeBatch();
      lastBatchStartedAtInMs = performance.now();
      const batch = queue;
      queue = [];
      await flushBatch(batch);
    }
    flushing = undefined;
  };

  const enqueue = (write: PendingWrite): Promise<StateOperationResult | number[]> => {
    if (closed) {
      return Promise.reject(
        new StateStoreError({
          code: 'QWEN_RELAY_STATE_STORE_UNAVAILABLE',
          message: 'the state store is closed',
        }),
      );
    }
    return new Promise((resolve, reject) => {
      queue.push({ write, resolve, reject });
      flushing ??= drain();
    });
  };

  /** the file's content, after the mutations this process queued so far are in it */
  const read = async (): Promise<StateFileContent> => {
    if (queue.length > 0) {
      const written = enqueue({ kind: 'barrier' });
      endPause?.();
      // a failed write is the writer's error; the read reports what the file holds
      await written.catch(() => undefined);
    }
    return loadIfChanged();
  };

  const poll = async (): Promise<void> => {
    let snapshot: StateFileContent;
    try {
      snapshot = await loadIfChanged();
    } catch {
      return; // unreadable right now: the next poll tries again
    }
    const fresh = snapshot.messages.filter(
      (message) => lastDeliveredSequence === undefined || message.sequence > lastDeliveredSequence,
    );
    if (fresh.length > 0) lastDeliveredSequence = fresh[fresh.length - 1]!.sequence;
    for (const message of fresh) {
      if (message.origin === origin) continue;
      hub.deliver({ channel: message.channel, message: message.message });
    }
  };

  const startPolling = async (): Promise<void> => {
    if (pollTimer !== undefined) return;
    // messages published before the first subscription are not replayed
    const snapshot = await loadIfChanged().catch(() => cache.content);
    lastDeliveredSequence = snapshot.nextSequence - 1;
    let polling = false;
    pollTimer = setInterval(() => {
      if (polling) return;
      polling = true;
      void poll().finally(() => {
        polling = false;
      });
    }, pollIntervalInMs);
    pollTimer.unref();
  };

  const stopPollingIfIdle = (): void => {
    if (pollTimer !== undefined && hub.channels().length === 0) {
      clearInterval(pollTimer);
      pollTimer = undefined;
    }
  };

  return {
    kind: 'file',
    async get(key) {
      return readStateEntry({ entries: (await read()).entries, key, nowInMs: now() });
    },
    async getMany(keys) {
      const { entries } = await read();
      const nowInMs = now();
      return keys.map((key) => readStateEntry({ entries, key, nowInMs }));
    },
    async set({ key, value, ttlInMs }) {
      validateStateArguments({ key, ttlInMs });
      await enqueue({ kind: 'operation', operation: { kind: 'set', key, value, ttlInMs } });
    },
    async compareAndSet({ key, expected, value, ttlInMs }) {
      validateStateArguments({ key, ttlInMs });
      const result = await enqueue({
        kind: 'operation',
        operation: { kind: 'compare-and-set', key, expected, value, ttlInMs },
      });
      return result === true;
    },
    async delete(key) {
      await enqueue({ kind: 'operation', operation: { kind: 'delete', key } });
    },
    async increment({ key, by = 1, ttlInMs }) {
      validateStateArguments({ key, by, ttlInMs });
      return (await enqueue({
        kind: 'operation',
        operation: { kind: 'increment', key, by, ttlInMs },
      })) as number;
    },
    async incrementMany(operations) {
      for (const { key, by = 1, ttlInMs } of operations)
        validateStateArguments({ key, by, ttlInMs });
      if (operations.length === 0) return [];
      return (await enqueue({
        kind: 'increments',
        operations: operations.map(({ key, by = 1, ttlInMs }) => ({
          kind: 'increment',
          key,
          by,
          ttlInMs,
        })),
      })) as number[];
    },
    async listKeys(prefix) {
      const { entries } = await read();
      const nowInMs = now();
      return [...entries.keys()].filter(
        (key) => key.startsWith(prefix) && readStateEntry({ entries, key, nowInMs }) !== undefined,
      );
    },
    async publish({ channel, message }) {
      await enqueue({ kind: 'publish', channel, message });
      hub.deliver({ channel, message });
    },
    async subscribe({ channel, listener }) {
      const remove = hub.add({ channel, listener });
      await startPolling();
      return async () => {
        remove();
        stopPollingIfIdle();
      };
    },
    status: () => ({ available: true }),
    onStatusChange: () => () => undefined,
    async close() {
      closing = true;
      endPause?.();
      if (flushing !== undefined) await flushing;
      closed = true;
      if (pollTimer !== undefined) clearInterval(pollTimer);
      pollTimer = undefined;
    },
  };
}
