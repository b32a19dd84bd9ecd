#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { startFakeQwen } from './server/start-fake-qwen';
import type { FakeQwenOptions } from './types';

const USAGE = `usage: fake-qwen [--port 9000] [--host 127.0.0.1] [--auto-approve] [--embeddings]
                 [--chunk-count N] [--chunk-size N] [--chunk-delay-ms N] [--ttl SECONDS] [--write-credentials DIR]`;

function parseNonNegativeInteger(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new Error(`--${name} must be a non-negative integer`);
  return parsed;
}

/** Parses the command line into fake options plus the credentials directory. */
function parseCommandLine(argv: string[]): { options: FakeQwenOptions; credentialsDir?: string } {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'auto-approve': { type: 'boolean' },
      embeddings: { type: 'boolean' },
      'chunk-count': { type: 'string' },
      'chunk-size': { type: 'string' },
      'chunk-delay-ms': { type: 'string' },
      ttl: { type: 'string' },
      'write-credentials': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const options: FakeQwenOptions = {
    port: parseNonNegativeInteger('port', values.port) ?? 9000,
    autoApprove: values['auto-approve'] ?? false,
    embeddings: values.embeddings ?? false,
  };
  if (values.host !== undefined) options.host = values.host;
  const chunkCount = parseNonNegativeInteger('chunk-count', values['chunk-count']);
  const chunkSize = parseNonNegativeInteger('chunk-size', values['chunk-size']);
  const chunkDelayInMs = parseNonNegativeInteger('chunk-delay-ms', values['chunk-delay-ms']);
  options.stream = {
    ...(chunkCount !== undefined ? { chunkCount } : {}),
    ...(chunkSize !== undefined ? { chunkSize } : {}),
    ...(chunkDelayInMs !== undefined ? { chunkDelayInMs } : {}),
  };
  const ttl = parseNonNegativeInteger('ttl', values.ttl);
  if (ttl !== undefined) options.accessTokenTtlInSeconds = ttl;
  const credentialsDir = values['write-credentials'];
  return credentialsDir === undefined ? { options } : { options, credentialsDir };
}

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    process.exit(2);
  }
  const fake = await startFakeQwen(parsed.options);
  process.stdout.write(`fake-qwen listening on ${fake.url}\n`);
  if (parsed.credentialsDir !== undefined) {
    const path = await fake.writeCredentialsFile({ dir: parsed.credentialsDir });
    process.stdout.write(`credentials written to ${path}\n`);
  }
  const stop = (): void => {
    fake.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`fake-qwen: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
