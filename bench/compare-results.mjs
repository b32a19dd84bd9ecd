/**
 * Compares two bench result files (bench/results/<timestamp>.json), arm by arm: req/s, latency,
 * TTFB, gap and CPU per request of the newer run as a ratio of the older one. Usage:
 * node bench/compare-results.mjs <older.json> <newer.json>
 */
import { readFile } from 'node:fs/promises';
import { computeRatio } from './lib/summarize-runs.mjs';

const METRICS = [
  ['requestsPerS', 'req/s'],
  ['latencyP50InMs', 'p50'],
  ['latencyP99InMs', 'p99'],
  ['ttfbP50InMs', 'TTFB p50'],
  ['gapP99InMs', 'gap p99'],
  ['cpuPerRequestInUs', 'CPU/req'],
  ['cpuPerEventInUs', 'CPU/event'],
];

const [olderPath, newerPath] = process.argv.slice(2);
if (!olderPath || !newerPath) {
  console.error('usage: node bench/compare-results.mjs <older.json> <newer.json>');
  process.exit(2);
}
const [older, newer] = await Promise.all(
  [olderPath, newerPath].map(async (path) => JSON.parse(await readFile(path, 'utf8'))),
);
console.log(
  `${older.startedAt} (${older.machine.gitCommit}) → ${newer.startedAt} (${newer.machine.gitCommit})`,
);
console.log('newer ÷ older; req/s above 1 is better, every other column below 1 is better\n');
for (const scenario of newer.scenarios) {
  const before = older.scenarios.find((candidate) => candidate.name === scenario.name);
  if (!before) continue;
  for (const [arm, { summary }] of Object.entries(scenario.arms)) {
    const previous = before.arms[arm]?.summary;
    if (!previous) continue;
    const cells = METRICS.map(([key, label]) => {
      const ratio = computeRatio(summary[key], previous[key]);
      return ratio === null ? null : `${label} ${ratio.toFixed(2)}×`;
    }).filter(Boolean);
    console.log(`${scenario.name.padEnd(14)} ${arm.padEnd(14)} ${cells.join('  ')}`);
  }
}
