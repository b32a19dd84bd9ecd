import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TokenCalibration } from '@qwen-relay/openai-adapter';
import type { QwenClient } from '@qwen-relay/qwen-client';
import type { AccountRegistry } from '../accounts/create-account-registry';
import type { ProxyConfig } from '../config/proxy-config';
import type { Logger } from '../logging/create-logger';
import type { ProxyMetrics } from '../metrics/create-proxy-metrics';
import type { ResponseStore } from '../responses/create-response-store';
import type { QuotaScheduling } from '../scheduling/create-quota-scheduling';
import type { TrafficHistory } from '../status/create-traffic-history';
import type { SseTransformRunner } from '../streaming/sse-transform-runner';
import type { ProxyTracing } from '../tracing/start-tracing';
import type { RequestStoppers } from './create-request-stoppers';

/** What every handler shares for the lifetime of the server. */
export interface ProxyContext {
  readonly config: ProxyConfig;
  readonly logger: Logger;
  readonly metrics: ProxyMetrics;
  readonly client: QwenClient;
  /** `accounts.current` changes when credentials files come and go */
  readonly accounts: AccountRegistry;
  readonly transformRunner: SseTransformRunner;
  /** quota windows, session affinity and usage counters on the state store */
  readonly scheduling: QuotaScheduling;
  /** responses kept for `store: true` / `previous_response_id`; absent when turned off */
  readonly responseStore?: ResponseStore;
  readonly startedAtInMs: number;
  /** client model name → upstream name, resolved for the auth mode */
  readonly modelAliases: Readonly<Record<string, string>>;
  /** per-model correction of the local prompt estimate, learnt from real counts (count_tokens) */
  readonly tokenCalibration: TokenCalibration;
  /** open client streams, for /health */
  streamsInFlight: number;
  /** how to stop each request still being answered (graceful shutdown past its grace period) */
  readonly requestStoppers: RequestStoppers;
  /** API requests and errors per minute over the last hour, for the status page */
  readonly trafficHistory: TrafficHistory;
  /** true once shutdown started: /readyz answers 503 so load balancers stop sending traffic */
  isDraining(): boolean;
  /** OpenTelemetry, when OTEL_EXPORTER_OTLP_ENDPOINT turned it on */
  readonly tracing?: ProxyTracing;
}

/** One request being answered. */
export interface RequestScope {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly requestId: string;
  /**
   * aborts when the client disconnects before the response finished, or when shutdown stops the
   * request; either way it cancels the upstream call
   */
  readonly signal: AbortSignal;
  isClientGone(): boolean;
  /** why the server stopped this request (shutdown), told to the client instead of the abort */
  getStopReason(): Error | undefined;
  /** set by the chat handler for the access log */
  streamEndState?: string;
}
