/**
 * The load-generating process: kept apart from the harness and from every process under
 * test, it runs one measurement at a time on request (autocannon, the fixed-rate client or the SSE client).
 */
import { sendEvent, serveRpc } from '../lib/serve-rpc.mjs';
import { runAutocannon } from './run-autocannon.mjs';
import { runFixedRate } from './run-fixed-rate.mjs';
import { runSseStreams } from './run-sse-streams.mjs';

serveRpc({
  autocannon: (options) => runAutocannon(options),
  'fixed-rate': (options) => runFixedRate(options),
  sse: (options) => runSseStreams(options),
  cpuUsage: () => process.cpuUsage(),
});
sendEvent('ready');
