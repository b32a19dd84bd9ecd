// Measures µs per upstream chunk of the SSE chat-stream transform on a 256-chunk stream built
// from the recorded plain-text fixture. Not a test: `pnpm exec tsup && node bench/transform.bench.mjs`.
// Pass several builds (paths to an index.js) to compare them; their rounds are interleaved so
// load from other processes hits them alike.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const modulePaths =
  process.argv.length > 2
    ? process.argv.slice(2)
    : [new URL('../dist/index.js', import.meta.url).pathname];
const builds = await Promise.all(
  modulePaths.map(async (path) => ({
    path,
    module: await import(pathToFileURL(resolve(path)).href),
  })),
);

const CHUNKS_PER_STREAM = 256;
const fixture = readFileSync(
  new URL('../src/__fixtures__/plain-text.sse', import.meta.url),
  'utf8',
);
const events = fixture.split('\n\n').filter((event) => event.startsWith('data: {'));
const [first, contentTemplate] = events;
const last = events.at(-1);
const words = ['Hello', ' there', '! Ünïcödé', ' ✓ works', ' — 日本語も。', ' "quoted"', ' a\\b'];
const middle = Array.from({ length: CHUNKS_PER_STREAM - 2 }, (_, index) =>
  contentTemplate.replace(
    '"content":"Hello"',
    `"content":${JSON.stringify(words[index % words.length])}`,
  ),
);
const body = `${[first, ...middle, last].join('\n\n')}\n\ndata: [DONE]\n\n`;
const encoded = new TextEncoder().encode(body);
const perEvent = body.split(/(?<=\n\n)/).map((part) => new TextEncoder().encode(part));

function runOnce(createChatStreamTransform, parts) {
  const transform = createChatStreamTransform({ clientModel: 'coder-model', includeUsage: true });
  let outputBytes = 0;
  for (const part of parts) outputBytes += transform.transform(part).length;
  const { summary } = transform.end();
  if (summary.chunkCount !== CHUNKS_PER_STREAM) throw new Error(`chunkCount ${summary.chunkCount}`);
  return outputBytes;
}

function measure(label, parts) {
  const samples = builds.map(() => []);
  for (const { module } of builds)
    for (let index = 0; index < 300; index++) runOnce(module.createChatStreamTransform, parts); // warm-up
  for (let round = 0; round < 9; round++) {
    builds.forEach(({ module }, buildIndex) => {
      const streams = 200;
      const startInNs = process.hrtime.bigint();
      for (let index = 0; index < streams; index++)
        runOnce(module.createChatStreamTransform, parts);
      const elapsedInNs = Number(process.hrtime.bigint() - startInNs);
      samples[buildIndex].push(elapsedInNs / 1000 / (streams * CHUNKS_PER_STREAM));
    });
  }
  builds.forEach(({ path }, buildIndex) => {
    const sorted = samples[buildIndex].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    console.log(`${label} ${path}: ${median.toFixed(3)} µs/chunk (min ${sorted[0].toFixed(3)})`);
  });
}

const outputs = builds.map(({ module }) => {
  const transform = module.createChatStreamTransform({
    clientModel: 'coder-model',
    includeUsage: true,
  });
  return Buffer.concat([transform.transform(encoded), transform.end().bytes]).toString('utf8');
});
if (outputs.some((output) => output !== outputs[0]))
  throw new Error('builds disagree on the output');

measure('one read per event  ', perEvent);
measure('whole stream, 1 read', [encoded]);
