import type { Server } from 'node:http';

/** Counts requests whose response has not closed yet, for graceful shutdown. */
export interface ActiveRequests {
  readonly count: number;
  /** resolves true once no request is active, or false when the timeout passes first */
  waitForIdle(options: { timeoutInMs: number }): Promise<boolean>;
}

/** Tracks every request of `server` from arrival to the close of its response. */
export function trackActiveRequests({ server }: { server: Server }): ActiveRequests {
  let count = 0;
  let idleWaiters: Array<() => void> = [];
  server.on('request', (_request, response) => {
    count += 1;
    response.once('close', () => {
      count -= 1;
      if (count === 0) {
        const waiters = idleWaiters;
        idleWaiters = [];
        for (const wake of waiters) wake();
      }
    });
  });
  return {
    get count() {
      return count;
    },
    waitForIdle({ timeoutInMs }) {
      if (count === 0) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutInMs);
        idleWaiters.push(() => {
          clearTimeout(timer);
          resolve(true);
        });
      });
    },
  };
}
