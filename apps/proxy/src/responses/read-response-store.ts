import { ProxyError } from '../errors/proxy-error';

/**
 * Runs a read of the response store; a store that cannot be reached (Redis down, directory
 * unreadable) becomes a 503 `state_store_unavailable`, never a bare 500.
 */
export async function readResponseStore<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw new ProxyError({
      code: 'QWEN_RELAY_STATE_STORE_UNAVAILABLE',
      status: 503,
      message: 'The response store cannot be reached right now; retry shortly.',
      cause: error,
    });
  }
}
