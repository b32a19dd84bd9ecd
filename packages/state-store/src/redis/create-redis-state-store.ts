import { createHash } from 'node:crypto';
import type { createClient } from 'redis';
import { StateStoreError } from '../errors/state-store-error';
import { validateStateArguments } from '../operations/validate-state-arguments';
import type { StateStore, StateStoreStatus } from '../state-store';
import { describeRedisUrl } from './describe-redis-url';
import { COMPARE_AND_SET_SCRIPT, INCREMENT_MANY_SCRIPT, INCREMENT_SCRIPT } from './redis-scripts';

/** Options of {@link createRedisStateStore}. */
export interface RedisStateStoreOptions {
  /** `redis://host:port/db` or `rediss://` (TLS); a password may be in the URL */
  url: string;
  /** used when the URL carries none (REDIS_PASSWORD) */
  password?: string;
  /** prepended to every key and channel (default `qwen-relay:`) so deployments can share a Redis */
  keyPrefix?: string;
  /** an operation not answered within this long fails as unavailable (default 2 s) */
  commandTimeoutInMs?: number;
  /** connection attempts give up after this long each (default 3 s); reconnects go on forever */
  connectTimeoutInMs?: number;
  onWarning?: (message: string) => void;
}

type RedisClient = ReturnType<typeof createClient>;
type RedisModule = typeof import('redis');
type RedisReply = string | number | null | RedisReply[];

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/** Escapes Redis glob characters so a prefix matches literally in SCAN MATCH. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (character) => `\\${character}`);
}

/**
 * The shared {@link StateStore} on Redis (node-redis). Increments and compare-and-set run as
 * Lua scripts, so N replicas see one counter and exactly one CAS winner; publish/subscribe
 * uses a second connection. While Redis is unreachable every operation fails at once with
 * `QWEN_RELAY_STATE_STORE_UNAVAILABLE` (no offline queue that would hang requests), the
 * status says why, and the client keeps reconnecting; subscriptions are restored on reconnect.
 *
 * node-redis is imported when a Redis store is created, not with this package: importing it
 * took ~100 ms and ~28 MB of memory, which every process on the file store (every proxy
 * without REDIS_URL, every CLI command) paid for nothing.
 */
export function createRedisStateStore({
  url,
  password,
  keyPrefix = 'qwen-relay:',
  commandTimeoutInMs = 2_000,
  connectTimeoutInMs = 3_000,
  onWarning,
}: RedisStateStoreOptions): StateStore {
  const where = describeRedisUrl(url);
  const clientOptions = {
    url,
    ...(password === undefined ? {} : { password }),
    disableOfflineQueue: true,
    socket: {
      connectTimeout: connectTimeoutInMs,
      // 50 ms doubling to 2 s, forever: a replica outlives a Redis restart
      reconnectStrategy: (retries: number) => Math.min(2_000, 50 * 2 ** Math.min(retries, 6)),
    },
  };
  let redis: RedisModule | undefined;
  let subscriber: RedisClient | undefined;
  let status: StateStoreStatus = { available: false, reason: `connecting to ${where}` };
  const statusListeners = new Set<(status: StateStoreStatus) => void>();
  const shaByScript = new Map<string, string>();
  let closed = false;

  const setStatus = (next: StateStoreStatus): void => {
    if (next.available === status.available && next.reason === status.reason) return;
    status = next;
    for (const listener of [...statusListeners]) listener(status);
  };
  const startClient = (loaded: RedisModule): RedisClient => {
    redis = loaded;
    const client: RedisClient = loaded.createClient(clientOptions);
    client.on('ready', () => setStatus({ available: true }));
    client.on('error', (error: Error) => {
      const reason = `Redis at ${where} unreachable: ${error.message}`;
      if (status.available) onWarning?.(reason);
      setStatus({ available: false, reason });
    });
    client.on('end', () => setStatus({ available: false, reason: 'the Redis client was closed' }));
    client.on('reconnecting', () => {
      if (status.available) setStatus({ available: false, reason: `reconnecting to ${where}` });
    });
    // the first connection is not awaited: a replica starts (and serves) while Redis is down
    if (!closed) client.connect().catch(() => undefined);
    return client;
  };
  // the client, once node-redis is loaded (at once: its import starts here)
  const clientReady: Promise<RedisClient> = import('redis').then(startClient);
  // a failed import is reported by each operation (unavailable), not as an unhandled rejection
  clientReady.catch(() => undefined);

  const unavailable = (cause: unknown): StateStoreError =>
    new StateStoreError({
      code: 'QWEN_RELAY_STATE_STORE_UNAVAILABLE',
      message: `Redis at ${where} is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`,
      retryable: true,
      cause,
    });

  const send = async (args: string[]): Promise<RedisReply> => {
    if (closed) throw unavailable(new Error('the state store is closed'));
    let timer: NodeJS.Timeout | undefined;
    try {
      const client = await clientReady;
      return (await Promise.race([
        client.sendCommand(args) as Promise<unknown>,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${commandTimeoutInMs} ms`)),
            commandTimeoutInMs,
          );
        }),
      ])) as RedisReply;
    } catch (error) {
      if (redis !== undefined && error instanceof redis.ErrorReply) throw error; // Redis answered: not an outage
      throw unavailable(error);
    } finally {
      clearTimeout(timer);
    }
  };

  const runScript = async (script: string, keys: string[], args: string[]): Promise<RedisReply> => {
    let sha = shaByScript.get(script);
    if (sha === undefined) {
      sha = sha1(script);
      shaByScript.set(script, sha);
    }
    const tail = [String(keys.length), ...keys, ...args];
    try {
      return await send(['EVALSHA', sha, ...tail]);
    } catch (error) {
      // a restarted Redis forgot the script: EVAL sends it and caches it again
      if (error instanceof Error && error.message.startsWith('NOSCRIPT')) {
        return send(['EVAL', script, ...tail]);
      }
      throw error;
    }
  };

  const prefixed = (key: string): string => `${keyPrefix}${key}`;

  const ensureSubscriber = async (): Promise<RedisClient> => {
    if (subscriber !== undefined) return subscriber;
    let client: RedisClient;
    try {
      client = await clientReady;
    } catch (error) {
      throw unavailable(error);
    }
    if (subscriber !== undefined) return subscriber;
    const connection = client.duplicate();
    connection.on('error', () => undefined); // the main client reports reachability
    subscriber = connection;
    try {
      await connection.connect();
    } catch (error) {
      subscriber = undefined;
      throw unavailable(error);
    }
    return connection;
  };

  return {
    kind: 'redis',
    async get(key) {
      const reply = await send(['GET', prefixed(key)]);
      return typeof reply === 'string' ? reply : undefined;
    },
    async getMany(keys) {
      if (keys.length === 0) return [];
      const reply = await send(['MGET', ...keys.map(prefixed)]);
      return (reply as RedisReply[]).map((value) =>
        typeof value === 'string' ? value : undefined,
      );
    },
    async set({ key, value, ttlInMs }) {
      validateStateArguments({ key, ttlInMs });
      await send(
        ttlInMs === undefined
          ? ['SET', prefixed(key), value]
          : ['SET', prefixed(key), value, 'PX', String(ttlInMs)],
      );
    },
    async compareAndSet({ key, expected, value, ttlInMs }) {
      validateStateArguments({ key, ttlInMs });
      const reply = await runScript(
        COMPARE_AND_SET_SCRIPT,
        [prefixed(key)],
        [
          expected === undefined ? '0' : '1',
          expected ?? '',
          value === undefined ? '0' : '1',
          value ?? '',
          ttlInMs === undefined ? '' : String(ttlInMs),
        ],
      );
      return reply === 1;
    },
    async delete(key) {
      await send(['DEL', prefixed(key)]);
    },
    async increment({ key, by = 1, ttlInMs }) {
      validateStateArguments({ key, by, ttlInMs });
      const reply = await runScript(
        INCREMENT_SCRIPT,
        [prefixed(key)],
        [String(by), ttlInMs === undefined ? '' : String(ttlInMs)],
      );
      return Number(reply);
    },
    async incrementMany(operations) {
      for (const { key, by = 1, ttlInMs } of operations)
        validateStateArguments({ key, by, ttlInMs });
      if (operations.length === 0) return [];
      const reply = await runScript(
        INCREMENT_MANY_SCRIPT,
        operations.map(({ key }) => prefixed(key)),
        operations.flatMap(({ by = 1, ttlInMs }) => [
          String(by),
          ttlInMs === undefined ? '' : String(ttlInMs),
        ]),
      );
      return (reply as RedisReply[]).map(Number);
    },
    async listKeys(prefix) {
      const keys: string[] = [];
      let cursor = '0';
      do {
        const reply = (await send([
          'SCAN',
          cursor,
          'MATCH',
          `${escapeGlob(prefixed(prefix))}*`,
          'COUNT',
          '500',
        ])) as [string, string[]];
        cursor = reply[0];
        for (const key of reply[1]) keys.push(key.slice(keyPrefix.length));
      } while (cursor !== '0');
      return [...new Set(keys)];
    },
    async publish({ channel, message }) {
      await send(['PUBLISH', prefixed(channel), message]);
    },
    async subscribe({ channel, listener }) {
      const connection = await ensureSubscriber();
      const redisChannel = prefixed(channel);
      const deliver = (message: string): void => {
        try {
          listener(message);
        } catch {
          // a subscriber's bug is its own
        }
      };
      await connection.subscribe(redisChannel, deliver);
      return async () => {
        await connection.unsubscribe(redisChannel, deliver).catch(() => undefined);
      };
    },
    status: () => status,
    onStatusChange(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    async close() {
      if (closed) return;
      closed = true;
      // close() lets answered commands finish; a client still (re)connecting is destroyed
      const shutDown = async (connection: RedisClient | undefined): Promise<void> => {
        if (connection === undefined) return;
        if (connection.isReady) await connection.close();
        else if (connection.isOpen) connection.destroy();
      };
      const client = await clientReady.catch(() => undefined);
      await Promise.allSettled([shutDown(subscriber), shutDown(client)]);
    },
  };
}
