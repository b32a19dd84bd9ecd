/**
 * The SSE_WORKERS cost model, measured (issue 18): what one network read costs to transform
 * inline, and what the same read costs the main thread when a piscina worker transforms it
 * (the task round trip: structured clone of the state and the bytes both ways, the promise).
 * Workers only free the main thread when the first exceeds the second. Prints both per read
 * shape and protocol, and writes bench/results/workers-<timestamp>.json. Run it under the
 * full-test lock: node bench/workers/measure-sse-workers.mjs [--quick]
 */
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import {
  convertResponsesRequestToQwen,
  createChatStreamTransform,
  createResponsesStreamTransform,
  restoreStreamTransform,
  safeParseResponsesRequest,
} from '@qwen-relay/openai-adapter';
import { Piscina } from 'piscina';

const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const encoder = new TextEncoder();

/** `count` upstream chat chunks of `contentBytes` of text each, as Qwen sends them. */
function createUpstreamRead({ count, contentBytes, index }) {
  const text = 'x'.repeat(Math.max(1, contentBytes - 4)) + String(index % 1000).padStart(4, '0');
  let events = '';
  for (let event = 0; event < count; event++) {
    events += `data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1764590000,"model":"qwen3-coder-plus","choices":[{"index":0,"delta":{"content":"${text}"},"finish_reason":null}]}\n\n`;
  }
  return encoder.encode(events);
}

const FINAL_READ = encoder.encode(
  'data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1764590000,"model":"qwen3-coder-plus","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n',
);

function createInitialState(protocol) {
  if (protocol === 'chat') {
    return createChatStreamTransform({
      clientModel: 'coder-model',
      includeUsage: false,
    }).getState();
  }
  const parsed = safeParseResponsesRequest({ model: 'coder-model', input: 'hi', stream: true });
  const { context } = convertResponsesRequestToQwen({ request: parsed.data });
  return createResponsesStreamTransform({ context }).getState();
}

/** Inline: µs per read, transforming whole streams of `readsPerStream` reads on this thread. */
function measureInline({ protocol, reads, readsPerStream, minimumInMs }) {
  const initialState = createInitialState(protocol);
  let readCount = 0;
  let outputBytes = 0;
  const startedAt = performance.now();
  while (performance.now() - startedAt < minimumInMs) {
    const transform = restoreStreamTransform(initialState);
    for (let index = 0; index < readsPerStream; index++) {
      outputBytes += transform.transform(reads[index % reads.length]).length;
    }
    outputBytes += transform.transform(FINAL_READ).length + transform.end().bytes.length;
    readCount += readsPerStream;
  }
  const elapsedInMs = performance.now() - startedAt;
  return {
    usPerRead: (elapsedInMs * 1000) / readCount,
    outputBytesPerRead: outputBytes / readCount,
  };
}

/**
 * Workers: `streams` streams in flight, each sending its reads one task at a time (the proxy's
 * order rule); the main thread's busy time per task is its event-loop utilisation.
 */
async function measureWorkers({ pool, protocol, reads, readsPerStream, streams, minimumInMs }) {
  const initialState = createInitialState(protocol);
  let tasks = 0;
  const deadline = performance.now() + minimumInMs;
  const latencies = [];
  const runStream = async () => {
    while (performance.now() < deadline) {
      let state = initialState;
      for (let index = 0; index < readsPerStream; index++) {
        const chunk = new Uint8Array(reads[index % reads.length]);
        const sentAt = performance.now();
        const result = await pool.run(
          { state, chunks: [chunk], end: false },
          { transferList: [chunk.buffer] },
        );
        latencies.push(performance.now() - sentAt);
        state = result.state;
        tasks++;
      }
      await pool.run({ state, chunks: [new Uint8Array(FINAL_READ)], end: true });
      tasks++;
    }
  };
  const eluBefore = performance.eventLoopUtilization();
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  await Promise.all(Array.from({ length: streams }, runStream));
  const elapsedInMs = performance.now() - startedAt;
  const elu = performance.eventLoopUtilization(eluBefore);
  const cpu = process.cpuUsage(cpuBefore);
  latencies.sort((a, b) => a - b);
  return {
    tasksPerS: Math.round((tasks * 1000) / elapsedInMs),
    mainUsPerTask: (elu.active * 1000) / tasks,
    allThreadsCpuUsPerTask: (cpu.user + cpu.system) / tasks,
    roundTripP50InMs: latencies[Math.floor(latencies.length / 2)],
  };
}

const round = (value, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

async function main() {
  const minimumInMs = quick ? 300 : 1500;
  const shapes = [];
  for (const eventsPerRead of [1, 8, 32]) {
    for (const contentBytes of [16, 256, 2048]) shapes.push({ eventsPerRead, contentBytes });
  }
  const protocols = ['chat', 'responses'];
  const threadCounts = [1, 2];
  const rows = [];
  const pools = Object.fromEntries(
    threadCounts.map((threads) => [
      threads,
      new Piscina({
        filename: import.meta.resolve('@qwen-relay/openai-adapter/sse-transform-task'),
        minThreads: threads,
        maxThreads: threads,
        idleTimeout: Number.POSITIVE_INFINITY,
      }),
    ]),
  );
  for (const protocol of protocols) {
    for (const { eventsPerRead, contentBytes } of shapes) {
      const reads = Array.from({ length: 16 }, (_, index) =>
        createUpstreamRead({ count: eventsPerRead, contentBytes, index }),
      );
      // a stream of 64 upstream events, however they are grouped into reads
      const readsPerStream = Math.max(1, Math.round(64 / eventsPerRead));
      // unmeasured first: the JIT and the workers warm up on this very shape
      measureInline({ protocol, reads, readsPerStream, minimumInMs: minimumInMs / 3 });
      for (const threads of threadCounts) {
        await measureWorkers({
          pool: pools[threads],
          protocol,
          reads,
          readsPerStream,
          streams: 32,
          minimumInMs: minimumInMs / 3,
        });
      }
      const inline = measureInline({ protocol, reads, readsPerStream, minimumInMs });
      const row = {
        protocol,
        eventsPerRead,
        contentBytes,
        readBytes: reads[0].length,
        inlineUsPerRead: round(inline.usPerRead),
        inlineUsPerEvent: round(inline.usPerRead / eventsPerRead, 2),
      };
      for (const threads of threadCounts) {
        const workers = await measureWorkers({
          pool: pools[threads],
          protocol,
          reads,
          readsPerStream,
          streams: 32,
          minimumInMs,
        });
        row[`w${threads}MainUsPerTask`] = round(workers.mainUsPerTask);
        row[`w${threads}AllCpuUsPerTask`] = round(workers.allThreadsCpuUsPerTask);
        row[`w${threads}TasksPerS`] = workers.tasksPerS;
        row[`w${threads}RoundTripP50Ms`] = round(workers.roundTripP50InMs, 2);
      }
      rows.push(row);
      console.log(JSON.stringify(row));
    }
  }
  await Promise.all(Object.values(pools).map((pool) => pool.destroy()));
  console.table(rows);
  const machine = {
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model,
    node: process.version,
    loadAverage: os.loadavg(),
  };
  const path = join(
    BENCH_DIR,
    'results',
    `workers-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
  );
  await writeFile(path, `${JSON.stringify({ machine, rows }, null, 2)}\n`);
  console.log(`machine: ${JSON.stringify(machine)}\nresults: ${path}`);
}

await main();
