export { createStateStore } from './create-state-store';
export {
  isStateStoreError,
  StateStoreError,
  type StateStoreErrorCode,
} from './errors/state-store-error';
export {
  createFileStateStore,
  type FileStateStoreOptions,
} from './file/create-file-state-store';
export {
  acquireLease,
  type HeldLease,
  holdLease,
  releaseLease,
  renewLease,
} from './lease/hold-lease';
export { createMemoryStateStore } from './memory/create-memory-state-store';
export {
  createRedisStateStore,
  type RedisStateStoreOptions,
} from './redis/create-redis-state-store';
export { describeRedisUrl } from './redis/describe-redis-url';
export type {
  CompareAndSetStateOptions,
  IncrementStateOptions,
  PublishStateOptions,
  SetStateOptions,
  StateStore,
  StateStoreKind,
  StateStoreStatus,
  SubscribeStateOptions,
} from './state-store';
