/**
 * The targets of issue 8, checked against the medians of one run. A target whose inputs were
 * not measured (scenario or arm skipped) is reported as n/a. Results are informative only:
 * the bench never fails on a time.
 */
import { formatSlopeName, TRANSLATED_STREAM_CHUNKS } from './scenarios.mjs';
import { computeRatio } from './summarize-runs.mjs';

const PROXY_ARMS = ['proxy', 'proxy-workers', 'proxy-baseline'];
const WORKER_COMPARISON_SCENARIOS = [
  'stream-8',
  'stream-256',
  'stream-large',
  'paced-50',
  'paced-200',
  'paced-1000',
];

/**
 * The ratio of two per-chunk slopes; undefined when either is not positive (noise larger than the
 * chunks' cost).
 */
export const computePerChunkRatio = (translated, chatPath) =>
  typeof translated === 'number' && typeof chatPath === 'number' && translated > 0 && chatPath > 0
    ? translated / chatPath
    : undefined;

/**
 * CPU µs per added chunk: the slope of an arm's CPU µs per request from its
 * TRANSLATED_STREAM_CHUNKS.short-chunk stream to its long one; undefined when either is missing.
 */
export function computePerChunkSlope({ shortCpu, longCpu }) {
  const { short, long } = TRANSLATED_STREAM_CHUNKS;
  return typeof shortCpu === 'number' && typeof longCpu === 'number'
    ? (longCpu - shortCpu) / (long - short)
    : undefined;
}

const format = (value, unit = '') =>
  typeof value === 'number' ? `${Math.round(value * 100) / 100}${unit}` : 'not measured';

/**
 * Evaluates every target; `summaries` is `{ scenario: { arm: summary } }`. `paired` (the paired
 * phase, lib/paired-phase.mjs) is `{ scenario: { reference, arms: { arm: row } } }`: where it holds
 * a CPU target's two arms, measured at once, its ratio is the target and the ratio of the arms
 * measured in turn is shown for information (it carries the machine's drift between them).
 */
export function evaluateTargets(summaries, { paired = {} } = {}) {
  const targets = [];
  const add = ({ name, arm, value, limit, unit = '', passes, informational = false }) => {
    targets.push({
      name,
      arm,
      measured: format(value, unit),
      limit,
      value: typeof value === 'number' ? value : null,
      pass: typeof value === 'number' && !informational ? passes(value) : null,
      ...(informational ? { informational } : {}),
    });
  };
  const read = (scenario, arm) => summaries[scenario]?.[arm];
  // the proxy arm's CPU ratio to `denominator`, measured paired; undefined when not measured so
  const readPairedRatio = (scenario, denominator) =>
    paired[scenario]?.reference === denominator
      ? paired[scenario].arms?.proxy?.ratioToReference
      : undefined;
  const readPairedCpu = (scenario, arm) => paired[scenario]?.arms?.[arm]?.cpuPerRequestInUs;
  // a CPU target: the paired ratio when there is one (the ratio of the arms in turn then shown
  // for information), else the ratio of the arms in turn
  const addCpuTarget = ({ name, arm, value, pairedValue, limit, passes }) => {
    if (typeof pairedValue !== 'number' || !Number.isFinite(pairedValue)) {
      add({ name, arm, value, unit: '×', limit, passes });
      return;
    }
    add({
      name,
      arm,
      value,
      unit: '×',
      limit: `information (${limit} held paired, next row)`,
      informational: true,
    });
    add({ name: `${name}, paired`, arm, value: pairedValue, unit: '×', limit, passes });
  };

  for (const arm of PROXY_ARMS) {
    const throughputTargets = [
      { scenario: 'chat', minimum: 0.8, label: 'non-streaming req/s vs floor' },
      { scenario: 'stream-8', minimum: 0.75, label: 'streaming (8 chunks) req/s vs floor' },
    ];
    for (const { scenario, minimum, label } of throughputTargets) {
      if (!read(scenario, arm)) continue;
      add({
        name: label,
        arm,
        value: computeRatio(
          read(scenario, arm).requestsPerS,
          read(scenario, 'floor')?.requestsPerS,
        ),
        unit: '×',
        limit: `≥ ${minimum}×`,
        passes: (ratio) => ratio >= minimum,
      });
    }
    const chat = read('chat', arm);
    const floorChat = read('chat', 'floor');
    if (chat && floorChat) {
      addCpuTarget({
        name: 'non-streaming CPU per request vs floor',
        arm,
        value: computeRatio(chat.cpuPerRequestInUs, floorChat.cpuPerRequestInUs),
        pairedValue: arm === 'proxy' ? readPairedRatio('chat', 'floor') : undefined,
        limit: '≤ 1.3×',
        passes: (ratio) => ratio <= 1.3,
      });
    }
    const latency = read('chat-latency', arm);
    const floorLatency = read('chat-latency', 'floor');
    if (latency && floorLatency) {
      for (const [percentile, limitInMs] of [
        ['P50', 1],
        ['P99', 3],
      ]) {
        const key = `latency${percentile}InMs`;
        add({
          name: `added ${percentile.toLowerCase()} latency over floor, 50 connections`,
          arm,
          value: latency[key] - floorLatency[key],
          unit: ' ms',
          limit: `≤ ${limitInMs} ms`,
          passes: (addedInMs) => addedInMs <= limitInMs,
        });
      }
    }
    const paced = read('paced-1000', arm);
    if (paced) {
      add({
        name: '1,000 paced streams: streams with a gap > 5 × pacing',
        arm,
        value: paced.stalledStreams,
        limit: '0 (gap max ' + format(paced.gapMaxInMs, ' ms') + ')',
        passes: (stalls) => stalls === 0,
      });
      // a stream queued before its first byte stalls too: compare with the floor's wait
      const floorPaced = read('paced-1000', 'floor');
      add({
        name: '1,000 paced streams: TTFB p99 added over floor',
        arm,
        value: floorPaced ? paced.ttfbP99InMs - floorPaced.ttfbP99InMs : null,
        unit: ' ms',
        limit: '≤ 100 ms (5 × pacing)',
        passes: (addedInMs) => addedInMs <= 100,
      });
      add({
        name: '1,000 paced streams: proxy peak RSS',
        arm,
        value: paced.peakRssInMb,
        unit: ' MB',
        limit: '≤ 300 MB',
        passes: (megabytes) => megabytes <= 300,
      });
      add({
        name: '1,000 paced streams: event-loop delay p99',
        arm,
        value: paced.eventLoopDelayP99InMs,
        unit: ' ms',
        limit: '≤ 20 ms',
        passes: (delayInMs) => delayInMs <= 20,
      });
    }
    for (const scenario of ['token-expiry', 'token-revoked']) {
      const expiry = read(scenario, arm);
      if (!expiry) continue;
      add({
        name: `${scenario} under 200 streams: refreshes`,
        arm,
        value: expiry.refreshCalls,
        limit: 'exactly 1',
        passes: (refreshes) => refreshes === 1,
      });
      add({
        name: `${scenario} under 200 streams: failed requests`,
        arm,
        value: expiry.failed,
        limit: '0',
        passes: (failed) => failed === 0,
      });
    }
  }

  // translated protocols: "the floor for translation is the chat path" (issue 18): the same
  // throughput targets against the proxy's own chat path on the same upstream chunks, and at most
  // 15 % more CPU per request than it. The ratio to the bare chat pass-through is shown as well,
  // for information (it is the chat path's own ratio times the translation's)
  for (const protocol of ['responses', 'messages']) {
    for (const [scenario, minimum] of [
      [protocol, 0.8],
      [`${protocol}-stream-8`, 0.75],
    ]) {
      const translated = read(scenario, 'proxy');
      if (!translated) continue;
      const chatPath = read(scenario, 'proxy-chat');
      add({
        name: `${scenario} req/s vs the chat path`,
        arm: 'proxy',
        value: computeRatio(translated.requestsPerS, chatPath?.requestsPerS),
        unit: '×',
        limit: `≥ ${minimum}×`,
        passes: (ratio) => ratio >= minimum,
      });
      addCpuTarget({
        name: `${scenario} CPU per request vs the chat path`,
        arm: 'proxy',
        value: computeRatio(translated.cpuPerRequestInUs, chatPath?.cpuPerRequestInUs),
        pairedValue: readPairedRatio(scenario, 'proxy-chat'),
        limit: '≤ 1.15×',
        passes: (ratio) => ratio <= 1.15,
      });
      add({
        name: `${scenario} req/s vs the bare chat pass-through`,
        arm: 'proxy',
        value: computeRatio(translated.requestsPerS, read(scenario, 'floor')?.requestsPerS),
        unit: '×',
        limit: 'information',
        informational: true,
      });
    }
    // "translation adds ≤ 15 % CPU per chunk": what one more upstream chunk costs, the slope
    // between the 8- and 64-chunk streams of each arm. A stream's own events (the Responses
    // response objects, the Anthropic message start and stop) are paid once and cancel out
    const { short, long } = TRANSLATED_STREAM_CHUNKS;
    const shortScenario = `${protocol}-stream-${short}`;
    const longScenario = `${protocol}-stream-${long}`;
    const perChunk = (arm) =>
      computePerChunkSlope({
        shortCpu: read(shortScenario, arm)?.cpuPerRequestInUs,
        longCpu: read(longScenario, arm)?.cpuPerRequestInUs,
      });
    const pairedPerChunk = (arm) =>
      computePerChunkSlope({
        shortCpu: readPairedCpu(shortScenario, arm),
        longCpu: readPairedCpu(longScenario, arm),
      });
    const translatedLong = read(longScenario, 'proxy');
    if (!translatedLong) continue;
    add({
      name: `${longScenario} CPU per request vs the chat path`,
      arm: 'proxy',
      value: computeRatio(
        translatedLong.cpuPerRequestInUs,
        read(longScenario, 'proxy-chat')?.cpuPerRequestInUs,
      ),
      unit: '×',
      limit: 'information',
      informational: true,
    });
    addCpuTarget({
      name: `${protocol} stream CPU per added chunk vs the chat path (${short} → ${long} chunks)`,
      arm: 'proxy',
      value: computePerChunkRatio(perChunk('proxy'), perChunk('proxy-chat')),
      // the two lengths alternating in one paired run when measured (runPairedPhase), else the
      // slope between the two paired scenarios, measured one after the other
      pairedValue:
        paired[formatSlopeName(protocol)]?.arms?.proxy?.ratioToReference ??
        computePerChunkRatio(pairedPerChunk('proxy'), pairedPerChunk('proxy-chat')),
      limit: '≤ 1.15×',
      passes: (ratio) => ratio <= 1.15,
    });
  }

  // the proxy arm against a bare pass-through of the same requests: requests/s and CPU per
  // request held to limits, or printed as information when `minimum` is undefined
  const addAgainstFloor = (scenario, minimum) => {
    const proxied = read(scenario, 'proxy');
    const floor = read(scenario, 'floor');
    if (!proxied) return;
    const limits =
      minimum === undefined
        ? [
            { limit: 'information', informational: true },
            { limit: 'information', informational: true },
          ]
        : [
            { limit: `≥ ${minimum}×`, passes: (ratio) => ratio >= minimum },
            { limit: '≤ 1.3×', passes: (ratio) => ratio <= 1.3 },
          ];
    add({
      name: `${scenario} req/s vs floor`,
      arm: 'proxy',
      value: computeRatio(proxied.requestsPerS, floor?.requestsPerS),
      unit: '×',
      ...limits[0],
    });
    const cpu = {
      name: `${scenario} CPU per request vs floor`,
      arm: 'proxy',
      value: computeRatio(proxied.cpuPerRequestInUs, floor?.cpuPerRequestInUs),
    };
    if (minimum === undefined) add({ ...cpu, unit: '×', ...limits[1] });
    else addCpuTarget({ ...cpu, pairedValue: readPairedRatio(scenario, 'floor'), ...limits[1] });
  };

  // passthrough: the same targets against a bare pass-through to the same native endpoint
  addAgainstFloor('responses-passthrough', 0.8);
  addAgainstFloor('responses-passthrough-stream-8', 0.75);
  addAgainstFloor('messages-passthrough', 0.8);
  addAgainstFloor('messages-passthrough-stream-8', 0.75);
  // a coding agent's 96 KiB request: the issue sets no target for it; printed so a change to the
  // proxy's per-byte work (parse, validate, map, serialise) shows against a bare pass-through
  for (const scenario of [
    'chat-agent',
    'messages-passthrough-agent',
    'messages-passthrough-agent-stream-8',
    'responses-passthrough-agent',
    'responses-passthrough-agent-stream-8',
  ]) {
    addAgainstFloor(scenario, undefined);
  }

  for (const scenario of WORKER_COMPARISON_SCENARIOS) {
    const inline = read(scenario, 'proxy');
    const workers = read(scenario, 'proxy-workers');
    if (!inline || !workers) continue;
    // where workers are meant to win (large chunks, many streams) they must; elsewhere lose ≤ 10 %
    const mustWin = scenario === 'stream-large';
    add({
      name: `workers vs inline req/s, ${scenario}`,
      arm: 'proxy-workers',
      value: computeRatio(workers.requestsPerS, inline.requestsPerS),
      unit: '×',
      limit: mustWin ? '> 1× (must win)' : '≥ 0.9×',
      passes: (ratio) => (mustWin ? ratio > 1 : ratio >= 0.9),
    });
  }
  return targets;
}
