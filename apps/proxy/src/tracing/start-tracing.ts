import { context, propagation, type Tracer, trace } from '@opentelemetry/api';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-node';
import type { ProxyConfig } from '../config/proxy-config';

/** The proxy's OpenTelemetry tracer while tracing is on, and how to flush and stop it. */
export interface ProxyTracing {
  readonly tracer: Tracer;
  /** exports what is left and unregisters the global provider */
  shutdown(): Promise<void>;
}

/** Instrumentation scope of the proxy's own spans. */
export const PROXY_TRACER_NAME = '@qwen-relay/proxy';

/**
 * Starts the OpenTelemetry SDK when `config.tracing` is set (OTEL_EXPORTER_OTLP_ENDPOINT) or a
 * span processor is given (tests, embedders): a Node tracer provider registered globally, so
 * qwen-client and token-manager, which use `@opentelemetry/api` only, report their attempt,
 * refresh and lock spans into the same trace; spans leave in batches over OTLP/HTTP. The SDK is
 * loaded only then: with tracing off nothing of it is imported. One traced proxy per process
 * (the provider is global).
 */
export async function startTracing({
  config,
  spanProcessor,
}: {
  config: ProxyConfig;
  spanProcessor?: SpanProcessor;
}): Promise<ProxyTracing | undefined> {
  if (config.tracing === undefined && spanProcessor === undefined) return undefined;
  const [sdk, resources] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/resources'),
  ]);
  const processors: SpanProcessor[] = [];
  if (config.tracing !== undefined) {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    // headers, timeout and compression come from the standard OTEL_EXPORTER_OTLP_* variables
    const exporter = new OTLPTraceExporter({ url: config.tracing.tracesUrl });
    processors.push(new sdk.BatchSpanProcessor(exporter));
  }
  if (spanProcessor !== undefined) processors.push(spanProcessor);
  // OTEL_RESOURCE_ATTRIBUTES first, the configured service name over it
  const resource = resources.detectResources({ detectors: [resources.envDetector] }).merge(
    resources.resourceFromAttributes({
      'service.name': config.tracing?.serviceName ?? 'qwen-relay',
    }),
  );
  const provider = new sdk.NodeTracerProvider({ resource, spanProcessors: processors });
  provider.register();
  return {
    tracer: provider.getTracer(PROXY_TRACER_NAME),
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
