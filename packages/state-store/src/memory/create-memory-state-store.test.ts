import { describe } from 'vitest';
import { describeStateStoreContract } from '../../test/state-store-contract';
import { createMemoryStateStore } from './create-memory-state-store';

describe('memory state store', () => {
  describeStateStoreContract(async () => createMemoryStateStore());
});
