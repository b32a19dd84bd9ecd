import { describe, expect, it } from 'vitest';
import { waitFor } from './wait-for';

describe('waitFor', () => {
  it('resolves with the first value that is neither undefined nor false', async () => {
    let checks = 0;
    const value = await waitFor(() => {
      checks++;
      return checks >= 3 ? { checks } : undefined;
    });
    expect(value).toEqual({ checks: 3 });
  });

  it('awaits asynchronous conditions and returns true for a boolean one', async () => {
    let ready = false;
    setTimeout(() => {
      ready = true;
    }, 20);
    await expect(waitFor(async () => ready)).resolves.toBe(true);
  });

  it('fails after the timeout, naming what it waited for', async () => {
    await expect(
      waitFor(() => false, { timeoutInMs: 30, intervalInMs: 5, message: 'the lock' }),
    ).rejects.toThrow('Timed out after 30 ms waiting for the lock');
  });
});
