import { ResponseStoreUnavailableError } from '../errors/proxy-errors';

/**
 * Runs a read of the response store; a store that cannot be reached (Redis down, directory
 * unreadable) becomes a 503 `state_store_unavailable`, never a bare 500.
 */
export async function readResponseStore<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw new ResponseStoreUnavailableError({ cause: error });
  }
}
