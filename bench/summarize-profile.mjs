/**
 * Prints where the time went in one or more `.cpuprofile` files, e.g. the ones
 * `pnpm bench --cpu-prof` leaves in bench/results/profiles/.
 * Usage: node bench/summarize-profile.mjs <file.cpuprofile>... [--top N]
 */
import { formatCpuProfileSummary, summarizeCpuProfile } from './lib/summarize-cpu-profile.mjs';

const argv = process.argv.slice(2);
const topIndex = argv.indexOf('--top');
const top = topIndex === -1 ? 20 : Number(argv[topIndex + 1]);
const paths = argv.filter((_argument, index) => index !== topIndex && index !== topIndex + 1);
if (paths.length === 0) {
  console.error('usage: node bench/summarize-profile.mjs <file.cpuprofile>... [--top N]');
  process.exit(2);
}
for (const path of paths) {
  console.log(formatCpuProfileSummary(await summarizeCpuProfile({ path, top })));
}
