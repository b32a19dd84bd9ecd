import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-node';
import {
  QwenRelayError,
  type RelayEvent,
  registerSecret,
  unregisterSecret,
} from '@qwen-relay/contracts';
import { createTokenCalibration } from '@qwen-relay/openai-adapter';
import { createQwenClient } from '@qwen-relay/qwen-client';
import { checkCredentialsPermissions } from '@qwen-relay/token-manager/internal';
import { type AccountRegistry, createAccountRegistry } from '../accounts/create-account-registry';
import { startClusterMembership } from '../cluster/start-cluster-membership';
import { describeSettingSources } from '../config/describe-setting-sources';
import type { ProxyConfig } from '../config/proxy-config';
import { resolveModelAliases } from '../config/resolve-model-aliases';
import { ShuttingDownError } from '../errors/proxy-errors';
import { createLogger } from '../logging/create-logger';
import { logRelayEvent } from '../logging/log-relay-event';
import { createProxyMetrics } from '../metrics/create-proxy-metrics';
import { recordRelayEvent } from '../metrics/record-relay-event';
import { startResponseStore } from '../responses/start-response-store';
import { startQuotaScheduling } from '../scheduling/start-quota-scheduling';
import { createTrafficHistory } from '../status/create-traffic-history';
import { createSseTransformRunner } from '../streaming/create-sse-transform-runner';
import { startTracing } from '../tracing/start-tracing';
import { createRequestHandler } from './create-request-handler';
import { createRequestStoppers } from './create-request-stoppers';
import type { ProxyContext } from './proxy-context';
import { trackActiveRequests } from './track-active-requests';

// how long requests stopped at the end of the grace period may take to send their final error
const FINAL_ERROR_FLUSH_IN_MS = 1_000;

/** A running proxy. */
export interface RunningProxy {
  /** base URL, e.g. `http://127.0.0.1:8080` (clients use `${url}/v1`) */
  readonly url: string;
  readonly port: number;
  /** graceful stop: no new connections, in-flight requests finish up to SHUTDOWN_GRACE_MS */
  close(): Promise<void>;
}

/**
 * Options of {@link startProxy}: the configuration plus where log lines go (default stdout)
 * and, for tests and embedders, a span processor that receives every span (turns tracing on).
 */
export type StartProxyOptions = ProxyConfig & {
  writeLogLine?: (line: string) => void;
  traceSpanProcessor?: SpanProcessor;
};

function formatUrl({ host, port }: { host: string; port: number }): string {
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
}

async function listen({
  server,
  host,
  port,
}: {
  server: Server;
  host: string;
  port: number;
}): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/** Starts accounts, client, transform runner and the HTTP server; resolves once listening. */
export async function startProxy(options: StartProxyOptions): Promise<RunningProxy> {
  const { writeLogLine, traceSpanProcessor, ...config } = options;
  // first: token managers and the client report spans from their very first refresh on
  const tracing = await startTracing({
    config,
    ...(traceSpanProcessor === undefined ? {} : { spanProcessor: traceSpanProcessor }),
  });
  // redacted by value from every log line, error and response while the proxy runs
  const heldSecrets = [
    ...config.proxyApiKeys,
    ...(config.apiKey === undefined ? [] : [config.apiKey]),
    ...(config.accounts ?? []).flatMap((account) => [
      ...(account.apiKey === undefined ? [] : [account.apiKey]),
      // an egress proxy URL may carry credentials (user:password@host)
      ...(account.egressProxy === undefined ? [] : [account.egressProxy]),
    ]),
    ...(config.redis?.password === undefined ? [] : [config.redis.password]),
  ];
  for (const secret of heldSecrets) registerSecret(secret);
  const logger = createLogger({
    level: config.logLevel,
    format: config.logFormat,
    ...(writeLogLine === undefined ? {} : { writeLine: writeLogLine }),
  });
  const settingsLine = describeSettingSources(config.settingSources ?? {});
  if (settingsLine !== undefined) {
    logger.info(settingsLine, { settingSources: config.settingSources });
  }
  if (config.ignoredEnvFile !== undefined) {
    logger.warn(
      `Not reading ${config.ignoredEnvFile}: settings come from the environment, flags, ~/.qwen-relay/.env or the file named by --env-file (QWEN_RELAY_ENV_FILE), never from the working directory. Pass --env-file ${config.ignoredEnvFile} to use it.`,
      { ignoredEnvFile: config.ignoredEnvFile },
    );
  }
  let registry: AccountRegistry | undefined;
  const transformRunner = createSseTransformRunner({ sseWorkers: config.sseWorkers });
  const metrics = createProxyMetrics({
    getAccountStatuses: () =>
      (registry?.current ?? []).map((account) => ({
        ...account.getStatus(),
        accountType: account.profile.type,
      })),
    getWorkerPoolStats: () => ({
      threads: transformRunner.threads,
      queueSize: transformRunner.queueSize,
    }),
  });
  const onEvent = (event: RelayEvent) => {
    logRelayEvent({ logger, event });
    recordRelayEvent({ metrics, event });
  };

  const scheduling = startQuotaScheduling({
    config,
    logger,
    metrics,
    listAccountIds: () => (registry?.current ?? []).map((account) => account.accountId),
  });
  const responses = startResponseStore({ config, logger, schedulingStore: scheduling.store });
  const cluster =
    config.redis === undefined
      ? undefined
      : await startClusterMembership({
          config,
          store: scheduling.store,
          logger,
          metrics,
          port: config.port,
        });
  const accounts = cluster?.accounts ?? (await createAccountRegistry({ config, logger, onEvent }));
  registry = accounts;
  // counts from earlier runs (and other proxies) are in place before the first request
  await scheduling.setAccounts(accounts.current);
  const client = createQwenClient({
    accounts: accounts.current,
    ...(config.apiBaseUrl === undefined ? {} : { baseUrlOverride: config.apiBaseUrl }),
    timeouts: config.timeouts,
    connectionsPerOrigin: config.upstreamConnections,
    retry: {
      maxAttempts: config.retry.maxRetries + 1,
      baseDelayInMs: config.retry.baseDelayInMs,
      maxDelayInMs: config.retry.maxDelayInMs,
      retryAfterCapInMs: config.retry.maxRetryAfterInMs,
      totalDeadlineInMs: config.retry.deadlineInMs,
    },
    streamFallback: config.streamFallback,
    cooldowns: { quotaInMs: config.quotaCooldownInMs },
    scheduler: scheduling.scheduler,
    onEvent,
  });
  // new credentials files join the rotation, removed ones leave it, without a restart
  accounts.watch({
    onChange: (current) => {
      client.setAccounts(current);
      void scheduling.setAccounts(current);
    },
  });

  let shuttingDown = false;
  const context: ProxyContext = {
    config,
    logger,
    metrics,
    client,
    accounts,
    transformRunner,
    scheduling,
    ...(responses.responseStore === undefined ? {} : { responseStore: responses.responseStore }),
    startedAtInMs: Date.now(),
    modelAliases: resolveModelAliases({
      configured: config.modelAliases,
      apiKeyMode: config.apiKey !== undefined,
    }),
    tokenCalibration: createTokenCalibration(),
    streamsInFlight: 0,
    requestStoppers: createRequestStoppers(),
    trafficHistory: createTrafficHistory(),
    isDraining: () => shuttingDown,
    ...(tracing === undefined ? {} : { tracing }),
  };
  const server = createServer(
    createRequestHandler({ context, isShuttingDown: () => shuttingDown }),
  );
  const activeRequests = trackActiveRequests({ server });

  async function releaseResources(): Promise<void> {
    await client.close();
    await accounts.close();
    await transformRunner.close();
    await cluster?.close();
    await responses.close();
    await scheduling.close();
    metrics.close();
    await tracing?.shutdown();
    for (const secret of heldSecrets) unregisterSecret(secret);
  }

  let port: number;
  try {
    port = await listen({ server, host: config.host, port: config.port });
  } catch (error) {
    await releaseResources();
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new QwenRelayError({
      code: 'QWEN_RELAY_LISTEN_FAILED',
      message: `Cannot listen on ${config.host}:${config.port} (${code}). Check HOST and PORT.`,
      cause: error,
    });
  }
  const url = formatUrl({ host: config.host, port });
  logger.info(`qwen-relay proxy listening on ${url}/v1`, {
    sseWorkers: config.sseWorkers,
    ...(config.sseWorkers === 'auto' ? { sseWorkerThreads: transformRunner.threads } : {}),
    proxyKeys: config.proxyApiKeys.length > 0,
  });
  for (const warning of config.accountsFile?.warnings ?? []) logger.warn(warning);
  for (const account of accounts.current) {
    const status = account.getStatus();
    const level =
      status.state === 'ok' || status.state === 'expiring' || status.state === 'refreshing'
        ? 'info'
        : 'warn';
    logger[level](
      `Account ${status.accountId} (${account.profile.type}): ${status.state}${status.message === undefined ? '' : ` (${status.message})`}`,
      {
        accountId: status.accountId,
        accountType: account.profile.type,
        authType: status.authType,
        ...(status.secondsToExpiry === undefined
          ? {}
          : { secondsToExpiry: status.secondsToExpiry }),
      },
    );
  }

  if (config.apiKey === undefined) {
    // other users able to read the tokens (or swap the files) is worth saying at every start
    const credentialsPaths = accounts.current.flatMap(
      (account) => account.getStatus().credentialsPath ?? [],
    );
    for (const problem of await checkCredentialsPermissions({
      qwenDir: config.qwenDir,
      credentialsPaths,
    })) {
      logger.warn(
        `Credentials ${problem.kind} ${problem.path} ${problem.problem}; run \`${problem.fix}\``,
        {
          path: problem.path,
          mode: `0${problem.mode.toString(8)}`,
        },
      );
    }
  }

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    close() {
      closing ??= (async () => {
        shuttingDown = true;
        logger.info('Shutting down: no new connections, waiting for in-flight requests', {
          inFlight: activeRequests.count,
          graceInMs: config.shutdownGraceInMs,
        });
        const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const finishedInTime = await activeRequests.waitForIdle({
          timeoutInMs: config.shutdownGraceInMs,
        });
        if (!finishedInTime) {
          logger.warn('Grace period over, stopping the remaining requests', {
            inFlight: activeRequests.count,
            streamsInFlight: context.streamsInFlight,
          });
          /*
           * Each request still running has its upstream call aborted and is told why: a stream
           * gets the final `data: {"error":...}` event (no [DONE], counted as truncated), a
           * pending call a 503 envelope. They get a short moment to flush that before the
           * sockets are closed; a client that does not read is cut anyway.
           */
          for (const stop of context.requestStoppers.list()) stop(new ShuttingDownError());
          await activeRequests.waitForIdle({ timeoutInMs: FINAL_ERROR_FLUSH_IN_MS });
        }
        // idle keep-alive sockets (and anything that outlived the grace period) go now
        server.closeAllConnections();
        await serverClosed;
        await releaseResources();
        logger.info('Proxy stopped');
      })();
      return closing;
    },
  };
}
