/**
 * The paired phase of `pnpm bench`: after the scenarios, the two arms of every CPU target run
 * again, this time at once (lib/measure-paired.mjs), so the target's ratio is one of the same
 * seconds. Measured in turn, the arms' CPU ratios drifted by up to 0.8× between two runs of one
 * build on a shared two-core VM (bench/README.md, the fifteenth and sixteenth passes); measured
 * at once, they agreed within a few per cent.
 */
import {
  formatPairedRows,
  formatSlopeRows,
  measurePairedScenario,
  measurePairedSlope,
} from './measure-paired.mjs';
import { formatSlopeName, TRANSLATED_STREAM_CHUNKS } from './scenarios.mjs';

/**
 * The CPU targets' scenarios and their two arms, the first the ratio's denominator: the bare
 * pass-through (`floor`) for chat and the passthroughs, the proxy's chat path for the translated
 * protocols (issue 18: "the floor for translation is the chat path"), both stream lengths of a
 * translated protocol for its CPU per added chunk.
 */
export const PAIRED_CPU_TARGETS = [
  { scenario: 'chat', arms: ['floor', 'proxy'] },
  { scenario: 'responses', arms: ['proxy-chat', 'proxy'] },
  { scenario: 'responses-stream-8', arms: ['proxy-chat', 'proxy'] },
  { scenario: 'responses-stream-64', arms: ['proxy-chat', 'proxy'] },
  { scenario: 'messages', arms: ['proxy-chat', 'proxy'] },
  { scenario: 'messages-stream-8', arms: ['proxy-chat', 'proxy'] },
  { scenario: 'messages-stream-64', arms: ['proxy-chat', 'proxy'] },
  { scenario: 'responses-passthrough', arms: ['floor', 'proxy'] },
  { scenario: 'responses-passthrough-stream-8', arms: ['floor', 'proxy'] },
  { scenario: 'messages-passthrough', arms: ['floor', 'proxy'] },
  { scenario: 'messages-passthrough-stream-8', arms: ['floor', 'proxy'] },
];

/**
 * The pairs of PAIRED_CPU_TARGETS this run can measure: the scenario ran (it is among `ran`, the
 * names of the scenarios measured in turn) and both its arms were selected.
 */
export function selectPairedTargets({ scenarios, ran, arms }) {
  const byName = new Map(scenarios.map((scenario) => [scenario.name, scenario]));
  return PAIRED_CPU_TARGETS.filter(
    ({ scenario, arms: pair }) =>
      ran.includes(scenario) &&
      pair.every((arm) => arms.includes(arm) && byName.get(scenario)?.arms.includes(arm)),
  ).map(({ scenario, arms: pair }) => ({ scenario: byName.get(scenario), arms: pair }));
}

/**
 * Measures each selected pair at once; returns `{ scenario: { reference, arms: { arm: row } } }`
 * for evaluateTargets, and prints each pair's table.
 */
export async function runPairedPhase({ pairs, context, durationInS, windowInS, concurrency }) {
  const { options, registry, fake, paths } = context;
  const paired = {};
  for (const { scenario, arms } of pairs) {
    console.log(`\n▶ paired: ${scenario.name}, ${arms.join(' and ')} at once`);
    const { rows, warmUpInS } = await measurePairedScenario({
      scenario,
      armNames: arms,
      reference: arms[0],
      fake,
      registry,
      // a paired arm is never profiled: the proxy's own phase does that
      options: { ...options, cpuProfile: false },
      paths,
      durationInS,
      windowInS,
      concurrency,
    });
    console.log(`warmed up ${warmUpInS} s\n${formatPairedRows(rows).join('\n')}`);
    paired[scenario.name] = {
      reference: arms[0],
      warmUpInS,
      arms: Object.fromEntries(rows.map((row) => [row.arm, row])),
    };
  }
  for (const slope of selectSlopePairs(pairs)) {
    const { arms } = slope;
    console.log(`\n▶ paired: ${describeSlope(slope)}`);
    const { rows, windowPairs } = await measureProtocolSlope({
      slope,
      reference: arms[0],
      context,
      durationInS,
      windowInS,
      concurrency,
    });
    console.log(formatSlopeRows(rows).join('\n'));
    paired[formatSlopeName(slope.protocol)] = {
      reference: arms[0],
      windowPairs,
      arms: Object.fromEntries(rows.map((row) => [row.arm, row])),
    };
  }
  return paired;
}

/** What a slope measurement (selectSlopePairs) measures, for its heading. */
export function describeSlope({ protocol, short, long, arms }) {
  return `${protocol} CPU per added chunk, ${arms.join(' and ')} at once, the fake alternating ${short.fakeStream.chunkCount} and ${long.fakeStream.chunkCount} chunks window by window`;
}

/**
 * measurePairedSlope for one of selectSlopePairs' protocols, for as long as its two scenarios'
 * paired runs take together (`durationInS` each). Returns the rows and the window pairs measured.
 */
export async function measureProtocolSlope({
  slope: { short, long, arms },
  reference,
  context: { options, registry, fake, paths },
  durationInS,
  windowInS,
  concurrency,
}) {
  const { rows, pairs } = await measurePairedSlope({
    scenario: short,
    shortStream: short.fakeStream,
    longStream: long.fakeStream,
    armNames: arms,
    reference,
    fake,
    registry,
    // a paired arm is never profiled: the proxy's own phase does that
    options: { ...options, cpuProfile: false },
    paths,
    durationInS: 2 * durationInS,
    windowInS,
    concurrency,
  });
  return { rows, windowPairs: pairs };
}

/**
 * The translated protocols whose short and long streams (TRANSLATED_STREAM_CHUNKS) are both among
 * `pairs`, with the same arms: their CPU per added chunk is measured with the two lengths
 * alternating in one run (measurePairedSlope).
 */
export function selectSlopePairs(pairs) {
  const suffix = (chunks) => `-stream-${chunks}`;
  const byName = new Map(pairs.map((pair) => [pair.scenario.name, pair]));
  const selected = [];
  for (const [name, shortPair] of byName) {
    if (!name.endsWith(suffix(TRANSLATED_STREAM_CHUNKS.short))) continue;
    const protocol = name.slice(0, -suffix(TRANSLATED_STREAM_CHUNKS.short).length);
    const longPair = byName.get(`${protocol}${suffix(TRANSLATED_STREAM_CHUNKS.long)}`);
    if (longPair === undefined || longPair.arms.join() !== shortPair.arms.join()) continue;
    selected.push({
      protocol,
      short: shortPair.scenario,
      long: longPair.scenario,
      arms: shortPair.arms,
    });
  }
  return selected;
}
