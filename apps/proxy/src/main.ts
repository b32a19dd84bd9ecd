#!/usr/bin/env node
import { homedir } from 'node:os';
import { isQwenRelayError, redactSecrets } from '@qwen-relay/contracts';
import { formatProxyConfigHelp } from './config/format-proxy-config-help';
import { loadEnvFile } from './config/load-env-file';
import { parseProxyConfig } from './config/parse-proxy-config';
import { tuneHeapForRequests } from './runtime/tune-heap-for-requests';
import { startProxy } from './server/start-proxy';

async function main(): Promise<void> {
  // before any request: V8's pretenuring turns per-request garbage into old-generation garbage
  tuneHeapForRequests();
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${formatProxyConfigHelp()}\n`);
    return;
  }
  const env = process.env;
  const envFile = loadEnvFile({ env, argv, cwd: process.cwd(), homeDirectory: homedir() });
  const proxy = await startProxy(parseProxyConfig({ env, argv, envFile }));

  let signalCount = 0;
  const stop = (signal: NodeJS.Signals) => {
    signalCount += 1;
    if (signalCount > 1) {
      // a second Ctrl-C means "now": skip the grace period
      process.stderr.write(`${signal} again, exiting immediately\n`);
      process.exit(1);
    }
    proxy.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`Shutdown failed: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // a stray rejection in some callback must not take every client's session down with it
  process.on('unhandledRejection', (reason: unknown) => {
    const message = isQwenRelayError(reason)
      ? reason.message
      : ((reason as Error)?.stack ?? String(reason));
    process.stderr.write(
      `qwen-relay proxy: unhandled rejection (still serving): ${redactSecrets(message)}\n`,
    );
  });
}

main().catch((error: unknown) => {
  const message = isQwenRelayError(error)
    ? error.message
    : ((error as Error)?.stack ?? String(error));
  process.stderr.write(`qwen-relay proxy: ${message}\n`);
  process.exit(1);
});
