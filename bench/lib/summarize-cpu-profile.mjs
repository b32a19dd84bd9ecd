/**
 * Reads a V8 `.cpuprofile` (written by `node --cpu-prof`) and returns where the time went:
 * the top functions by self time, and self time grouped by package (undici, piscina, each
 * @qwen-relay package, node internals, GC), both as shares of the non-idle time.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

/** Frames where a thread waits rather than works: the event loop's idle, piscina's blocking wait. */
const WAITING_FUNCTIONS = new Set(['(idle)', 'atomicsWaitLoop']);

/** `CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile`: thread 0 is the main thread. */
function readThreadLabel(path) {
  const threadId = basename(path).split('.')[4];
  if (threadId === undefined || Number.isNaN(Number(threadId))) return 'thread ?';
  return threadId === '0' ? 'main thread' : `worker thread ${threadId}`;
}

/** The package or area a script URL belongs to. */
function convertUrlToGroup(url) {
  if (!url) return '(native / vm)';
  if (url.startsWith('node:')) return 'node internals';
  const pnpmPackage = /node_modules\/\.pnpm\/((?:@[^+/]+\+)?[^@/]+)@/.exec(url);
  if (pnpmPackage) return pnpmPackage[1].replace('+', '/');
  const plainPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (plainPackage) return plainPackage[1];
  const workspace = /\/(packages|apps)\/([^/]+)\//.exec(url);
  if (workspace) return `${workspace[1]}/${workspace[2]}`;
  if (url.includes('/bench/')) return 'bench probe';
  return url;
}

function shortenUrl(url) {
  if (!url) return '';
  const parts = url.replace(/^file:\/\//, '').split('/');
  return parts.slice(-2).join('/');
}

function createFrameKey(callFrame) {
  const name = callFrame.functionName || '(anonymous)';
  const location = callFrame.url ? `${shortenUrl(callFrame.url)}:${callFrame.lineNumber + 1}` : '';
  return `${name} ${location}`.trim();
}

/**
 * Total (inclusive) time of the project's own functions (apps/*, packages/*): the time spent
 * in them and everything they called, each function counted once per sample however often it
 * recurs on the stack.
 */
function sumProjectInclusiveTime({ profile, nodesById }) {
  const parentById = new Map();
  for (const node of profile.nodes) {
    for (const childId of node.children ?? []) parentById.set(childId, node.id);
  }
  const inclusiveByKey = new Map();
  for (let index = 0; index < profile.samples.length; index++) {
    const deltaInUs = profile.timeDeltas[index + 1] ?? 0;
    const seen = new Set();
    for (let id = profile.samples[index]; id !== undefined; id = parentById.get(id)) {
      const { callFrame } = nodesById.get(id);
      if (!/\/(apps|packages)\//.test(callFrame.url)) continue;
      const key = createFrameKey(callFrame);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusiveByKey.set(key, (inclusiveByKey.get(key) ?? 0) + deltaInUs);
    }
  }
  return inclusiveByKey;
}

/**
 * Summarises the profile at `path`:
 * `{ thread, totalInMs, busyInMs, topFunctions, topProjectFunctionsInclusive, groups }`.
 */
export async function summarizeCpuProfile({ path, top = 15 }) {
  const profile = JSON.parse(await readFile(path, 'utf8'));
  const nodesById = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfTimeByNodeInUs = new Map();
  for (let index = 0; index < profile.samples.length; index++) {
    // a sample's time is the delta to the next sample
    const deltaInUs = profile.timeDeltas[index + 1] ?? 0;
    const nodeId = profile.samples[index];
    selfTimeByNodeInUs.set(nodeId, (selfTimeByNodeInUs.get(nodeId) ?? 0) + deltaInUs);
  }
  const byFunction = new Map();
  const byGroup = new Map();
  let totalInUs = 0;
  let idleInUs = 0;
  for (const [nodeId, selfInUs] of selfTimeByNodeInUs) {
    const { callFrame } = nodesById.get(nodeId);
    totalInUs += selfInUs;
    if (WAITING_FUNCTIONS.has(callFrame.functionName)) {
      idleInUs += selfInUs;
      continue;
    }
    const name = callFrame.functionName || '(anonymous)';
    const key = createFrameKey(callFrame);
    byFunction.set(key, (byFunction.get(key) ?? 0) + selfInUs);
    const group = name.startsWith('(') && !callFrame.url ? name : convertUrlToGroup(callFrame.url);
    byGroup.set(group, (byGroup.get(group) ?? 0) + selfInUs);
  }
  const busyInUs = totalInUs - idleInUs;
  const rank = (map, limit) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, selfInUs]) => ({
        name,
        selfInMs: Math.round(selfInUs / 1000),
        percentOfBusy: Math.round((selfInUs / busyInUs) * 1000) / 10,
      }));
  return {
    path,
    thread: readThreadLabel(path),
    totalInMs: Math.round(totalInUs / 1000),
    busyInMs: Math.round(busyInUs / 1000),
    topFunctions: rank(byFunction, top),
    topProjectFunctionsInclusive: rank(sumProjectInclusiveTime({ profile, nodesById }), top),
    groups: rank(byGroup, 12),
  };
}

/**
 * Self time of one profile by package group and by function, in µs per request: what
 * `paired.mjs --cpu-prof` compares between arms that served different numbers of requests.
 * Waiting frames are left out; the process's start-up is in it (a few ms of a run's seconds).
 */
export async function readSelfTimePerRequest({ path, requests }) {
  const profile = JSON.parse(await readFile(path, 'utf8'));
  const nodesById = new Map(profile.nodes.map((node) => [node.id, node]));
  const byFunction = new Map();
  const byGroup = new Map();
  let busyInUs = 0;
  for (let index = 0; index < profile.samples.length; index++) {
    const deltaInUs = profile.timeDeltas[index + 1] ?? 0;
    const { callFrame } = nodesById.get(profile.samples[index]);
    if (WAITING_FUNCTIONS.has(callFrame.functionName)) continue;
    busyInUs += deltaInUs;
    const name = callFrame.functionName || '(anonymous)';
    // a bundle's chunk names differ between builds: the function's name and package identify it
    const group = name.startsWith('(') && !callFrame.url ? name : convertUrlToGroup(callFrame.url);
    const key = `${name} [${group}]`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + deltaInUs);
    byGroup.set(group, (byGroup.get(group) ?? 0) + deltaInUs);
  }
  const perRequest = (map) => new Map([...map].map(([key, us]) => [key, us / requests]));
  return {
    busyPerRequestInUs: busyInUs / requests,
    byGroup: perRequest(byGroup),
    byFunction: perRequest(byFunction),
  };
}

function largestTime(arms, group) {
  return Math.max(...arms.map((arm) => arm.times.byGroup.get(group) ?? 0));
}

/**
 * Lines comparing arms' self time per request: the groups side by side, then the functions
 * whose time differs most from the reference arm's.
 */
export function formatSelfTimeComparison({ arms, reference, top = 25 }) {
  const referenceArm = arms.find((arm) => arm.name === reference) ?? arms[0];
  const others = arms.filter((arm) => arm !== referenceArm);
  const cell = (value) => (value === undefined ? '–' : value.toFixed(1)).padStart(10);
  const header = `${''.padEnd(44)}${arms.map((arm) => arm.name.padStart(10)).join('')}`;
  const groups = new Set(arms.flatMap((arm) => [...arm.times.byGroup.keys()]));
  const total = (arm) => arm.times.busyPerRequestInUs;
  const lines = [
    'self time, µs per request (busy time of the main thread ÷ requests served)',
    header,
    `${'all'.padEnd(44)}${arms.map((arm) => cell(total(arm))).join('')}`,
    ...[...groups]
      .sort((a, b) => largestTime(arms, b) - largestTime(arms, a))
      .map(
        (group) =>
          `${group.slice(0, 43).padEnd(44)}${arms.map((arm) => cell(arm.times.byGroup.get(group))).join('')}`,
      ),
  ];
  for (const arm of others) {
    const keys = new Set([...arm.times.byFunction.keys(), ...referenceArm.times.byFunction.keys()]);
    const differences = [...keys]
      .map((key) => ({
        key,
        difference:
          (arm.times.byFunction.get(key) ?? 0) - (referenceArm.times.byFunction.get(key) ?? 0),
      }))
      .sort((a, b) => Math.abs(b.difference) - Math.abs(a.difference))
      .slice(0, top);
    lines.push(
      '',
      `functions whose self time differs most, ${arm.name} − ${referenceArm.name} (µs per request)`,
    );
    for (const { key, difference } of differences) {
      lines.push(
        `${(difference >= 0 ? '+' : '') + difference.toFixed(1)}`.padStart(8) +
          `  ${key.slice(0, 100)}` +
          `  (${cell(referenceArm.times.byFunction.get(key)).trim()} → ${cell(arm.times.byFunction.get(key)).trim()})`,
      );
    }
  }
  return lines;
}

/** Summaries of every profile in `directories` (missing directories are skipped). */
export async function summarizeCpuProfileDirectories(directories) {
  const summaries = [];
  for (const directory of directories) {
    let files = [];
    try {
      files = (await readdir(directory)).filter((file) => file.endsWith('.cpuprofile'));
    } catch {
      continue;
    }
    for (const file of files.sort()) {
      summaries.push(await summarizeCpuProfile({ path: join(directory, file), top: 12 }));
    }
  }
  return summaries;
}

/** Printable text of a summary. */
export function formatCpuProfileSummary(summary) {
  const lines = [
    `${summary.path} (${summary.thread}): ${summary.busyInMs} ms busy of ${summary.totalInMs} ms sampled`,
    '  self time by package:',
    ...summary.groups.map(
      (group) => `    ${String(group.percentOfBusy).padStart(5)} %  ${group.name}`,
    ),
    '  top functions by self time:',
    ...summary.topFunctions.map(
      (entry) => `    ${String(entry.percentOfBusy).padStart(5)} %  ${entry.name}`,
    ),
    '  project functions by total time (self + callees):',
    ...summary.topProjectFunctionsInclusive.map(
      (entry) => `    ${String(entry.percentOfBusy).padStart(5)} %  ${entry.name}`,
    ),
  ];
  return lines.join('\n');
}
