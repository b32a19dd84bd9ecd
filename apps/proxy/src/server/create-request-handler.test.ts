import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTokenCalibration } from '@qwen-relay/openai-adapter';
import type { QwenClient } from '@qwen-relay/qwen-client';
import { createMemoryStateStore } from '@qwen-relay/state-store';
import { afterEach, describe, expect, it } from 'vitest';
import type { AccountRegistry } from '../accounts/create-account-registry';
import { parseProxyConfig } from '../config/parse-proxy-config';
import { createLogger } from '../logging/create-logger';
import { createProxyMetrics } from '../metrics/create-proxy-metrics';
import { createQuotaScheduling } from '../scheduling/create-quota-scheduling';
import { createTrafficHistory } from '../status/create-traffic-history';
import type { SseTransformRunner } from '../streaming/sse-transform-runner';
import { createRequestHandler } from './create-request-handler';
import { createRequestStoppers } from './create-request-stoppers';
import type { ProxyContext } from './proxy-context';

/** An error no code can read: every field access throws. */
function createHostileError(): unknown {
  return new Proxy(
    {},
    {
      get() {
        throw new Error('unreadable field');
      },
      has() {
        throw new Error('unreadable field');
      },
    },
  );
}

describe('createRequestHandler, last line of defence', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  it('answers a 500 envelope when even reporting the failure throws, instead of hanging', async () => {
    const logLines: string[] = [];
    const metrics = createProxyMetrics({
      getAccountStatuses: () => [],
      getWorkerPoolStats: () => ({ threads: 0, queueSize: 0 }),
    });
    // the upstream client is the one part replaced: it fails with an error nothing can read
    const client = {
      embeddings: () => Promise.reject(createHostileError()),
    } as unknown as QwenClient;
    const context: ProxyContext = {
      config: parseProxyConfig({ env: {} }),
      logger: createLogger({
        level: 'debug',
        format: 'json',
        writeLine: (line) => logLines.push(line),
      }),
      metrics,
      client,
      accounts: { current: [] } as unknown as AccountRegistry,
      transformRunner: {} as SseTransformRunner,
      scheduling: createQuotaScheduling({ store: createMemoryStateStore() }),
      startedAtInMs: Date.now(),
      modelAliases: {},
      tokenCalibration: createTokenCalibration(),
      streamsInFlight: 0,
      requestStoppers: createRequestStoppers(),
      trafficHistory: createTrafficHistory(),
      isDraining: () => false,
    };
    server = createServer(createRequestHandler({ context, isShuttingDown: () => false }));
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/v1/embeddings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'text-embedding-v4', input: 'x' }),
    });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({
      error: {
        message: 'Internal error in qwen-relay',
        type: 'server_error',
        param: null,
        code: 'internal_error',
      },
    });
    metrics.close();
  });
});
