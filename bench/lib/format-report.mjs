/**
 * Turns the per-arm summaries into the printed report: one table per scenario (only the
 * columns that scenario measured), ratios against direct and floor, added latency against
 * floor, then the targets with PASS/FAIL.
 */
import { computeRatio } from './summarize-runs.mjs';

const formatMs = (value) =>
  Math.abs(value) < 10
    ? value.toFixed(2)
    : Math.abs(value) < 100
      ? value.toFixed(1)
      : value.toFixed(0);

const difference = (value, base) =>
  typeof value === 'number' && typeof base === 'number' ? value - base : null;

/** Columns: header, how to compute the cell from the arm's summary and the baselines, format. */
const COLUMNS = [
  { header: 'req/s', read: ({ summary }) => summary.requestsPerS, format: (v) => v.toFixed(0) },
  {
    header: '×direct',
    read: ({ summary, direct }) => computeRatio(summary.requestsPerS, direct?.requestsPerS),
    format: (v) => v.toFixed(2),
  },
  {
    header: '×floor',
    read: ({ summary, floor }) => computeRatio(summary.requestsPerS, floor?.requestsPerS),
    format: (v) => v.toFixed(2),
  },
  { header: 'p50 ms', read: ({ summary }) => summary.latencyP50InMs, format: formatMs },
  { header: 'p99 ms', read: ({ summary }) => summary.latencyP99InMs, format: formatMs },
  {
    header: '+p50',
    read: ({ summary, floor, arm }) =>
      arm.startsWith('proxy') ? difference(summary.latencyP50InMs, floor?.latencyP50InMs) : null,
    format: formatMs,
  },
  {
    header: '+p99',
    read: ({ summary, floor, arm }) =>
      arm.startsWith('proxy') ? difference(summary.latencyP99InMs, floor?.latencyP99InMs) : null,
    format: formatMs,
  },
  { header: 'TTFB p50', read: ({ summary }) => summary.ttfbP50InMs, format: formatMs },
  { header: 'TTFB p99', read: ({ summary }) => summary.ttfbP99InMs, format: formatMs },
  {
    header: '+TTFB',
    read: ({ summary, floor, arm }) =>
      arm.startsWith('proxy') ? difference(summary.ttfbP50InMs, floor?.ttfbP50InMs) : null,
    format: formatMs,
  },
  { header: 'gap p99', read: ({ summary }) => summary.gapP99InMs, format: formatMs },
  { header: 'gap max', read: ({ summary }) => summary.gapMaxInMs, format: formatMs },
  { header: 'stalls', read: ({ summary }) => summary.stalledStreams, format: String },
  {
    header: 'up conc',
    read: ({ summary }) => summary.upstreamConcurrencyP50,
    format: (v) => v.toFixed(0),
  },
  { header: 'CPU µs/req', read: ({ summary }) => summary.cpuPerRequestInUs, format: String },
  { header: 'µs/event', read: ({ summary }) => summary.cpuPerEventInUs, format: String },
  { header: 'CPU %', read: ({ summary }) => summary.cpuPercent, format: String },
  { header: 'fake %', read: ({ summary }) => summary.fakeCpuPercent, format: String },
  { header: 'load %', read: ({ summary }) => summary.loadCpuPercent, format: String },
  { header: 'RSS MB', read: ({ summary }) => summary.peakRssInMb, format: (v) => v.toFixed(0) },
  { header: 'ELD p99', read: ({ summary }) => summary.eventLoopDelayP99InMs, format: formatMs },
  { header: 'refresh', read: ({ summary }) => summary.refreshCalls, format: String },
  { header: 'failed', read: ({ summary }) => summary.failed, format: String },
];

function renderTable(rows) {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) =>
          column === 0 ? cell.padEnd(widths[0]) : cell.padStart(widths[column]),
        )
        .join('  '),
    )
    .join('\n');
}

/** The table of one scenario (arms in run order). */
export function formatScenarioTable({ scenario, summaries }) {
  const arms = Object.keys(summaries);
  const context = (arm) => ({
    arm,
    summary: summaries[arm],
    direct: summaries.direct,
    floor: summaries.floor,
  });
  const columns = COLUMNS.filter((column) =>
    arms.some((arm) => typeof column.read(context(arm)) === 'number'),
  );
  const header = ['arm', ...columns.map((column) => column.header)];
  const rows = arms.map((arm) => [
    arm,
    ...columns.map((column) => {
      const value = column.read(context(arm));
      return typeof value === 'number' ? column.format(value) : '–';
    }),
  ]);
  return `${scenario.name}: ${scenario.title}\n${renderTable([header, ...rows])}`;
}

/** The targets table. */
export function formatTargets(targets) {
  if (targets.length === 0) return 'targets: none apply to the scenarios and arms that ran';
  const rows = targets.map((target) => [
    target.informational ? 'info' : target.pass === null ? 'n/a ' : target.pass ? 'PASS' : 'FAIL',
    target.name,
    target.arm,
    target.measured,
    target.limit,
  ]);
  return `targets\n${renderTable([['', 'target', 'arm', 'measured', 'limit'], ...rows])}`;
}
