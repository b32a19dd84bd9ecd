import type { QwenClientEvent } from '@qwen-relay/contracts';
import { type FakeQwen, type FakeQwenOptions, startFakeQwen } from '@qwen-relay/fake-qwen';
import { afterEach } from 'vitest';
import { createQwenClient } from '../../src/client/create-qwen-client';
import type { QwenClient, QwenClientOptions } from '../../src/client/types';

/** Per-test fake upstream + clients, all closed after each test. */
export interface FakeHarness {
  startFake(options?: FakeQwenOptions): Promise<FakeQwen>;
  /** a client whose events are collected in `events` */
  createClient(options: QwenClientOptions): QwenClient;
  readonly events: QwenClientEvent[];
}

/** Registers afterEach cleanup and returns the harness (call at describe level). */
export function useFakeHarness(): FakeHarness {
  const fakes: FakeQwen[] = [];
  const clients: QwenClient[] = [];
  const events: QwenClientEvent[] = [];
  afterEach(async () => {
    // servers first: destroying their sockets settles any request a client still waits on
    await Promise.all(fakes.splice(0).map((fake) => fake.close()));
    await Promise.all(clients.splice(0).map((client) => client.close()));
    events.length = 0;
  });
  return {
    events,
    async startFake(options = {}) {
      const fake = await startFakeQwen(options);
      fakes.push(fake);
      return fake;
    },
    createClient(options) {
      const client = createQwenClient({
        ...options,
        onEvent: (event) => {
          events.push(event);
          options.onEvent?.(event);
        },
      });
      clients.push(client);
      return client;
    },
  };
}

/** A retry policy for tests: no real waiting, every requested delay recorded. */
export function createRecordingSleep(): {
  delays: number[];
  sleep: (options: { delayInMs: number }) => Promise<void>;
} {
  const delays: number[] = [];
  return {
    delays,
    sleep: async ({ delayInMs }) => {
      delays.push(delayInMs);
    },
  };
}

/** A non-streaming chat payload. */
export const chatPayload = (overrides: Record<string, unknown> = {}) => ({
  model: 'coder-model',
  messages: [{ role: 'user', content: 'hello' }],
  stream: false,
  ...overrides,
});
