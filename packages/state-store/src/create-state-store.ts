import { createFileStateStore } from './file/create-file-state-store';
import { createRedisStateStore } from './redis/create-redis-state-store';
import type { StateStore } from './state-store';

/**
 * The store a proxy runs on: Redis when `redisUrl` is set (cluster mode), else the file
 * store in `directory` (the embedded default, nothing to install).
 */
export function createStateStore({
  directory,
  redisUrl,
  redisPassword,
  redisKeyPrefix,
  onWarning,
}: {
  directory: string;
  redisUrl?: string | undefined;
  redisPassword?: string | undefined;
  redisKeyPrefix?: string | undefined;
  onWarning?: (message: string) => void;
}): StateStore {
  const warn = onWarning === undefined ? {} : { onWarning };
  if (redisUrl !== undefined && redisUrl !== '') {
    return createRedisStateStore({
      url: redisUrl,
      ...(redisPassword === undefined ? {} : { password: redisPassword }),
      ...(redisKeyPrefix === undefined ? {} : { keyPrefix: redisKeyPrefix }),
      ...warn,
    });
  }
  return createFileStateStore({ directory, ...warn });
}
