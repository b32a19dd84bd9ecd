import { computePerChunkRatio, computePerChunkSlope } from './evaluate-targets.mjs';
import { TRANSLATED_STREAM_CHUNKS } from './scenarios.mjs';

/**
 * For `paired.mjs`: when both stream lengths of a protocol were measured (`responses-stream-8`
 * and `responses-stream-64`, …), each arm's CPU per added chunk, the slope of its CPU µs per
 * request between them, and its ratio to the reference arm's slope (the "translation
 * adds ≤ 15 % CPU per chunk" with `--reference proxy-chat`). `rowsByScenario` maps a scenario's
 * name to its rows (`arm`, `cpuPerRequestInUs`). Returns the lines to print (none when no pair
 * was measured). Each slope takes its two ends from two scenarios measured one after the other,
 * so it carries the machine's drift between them; measurePairedSlope measures it without.
 */
export function formatPairedPerChunk({ rowsByScenario, reference }) {
  const { short, long } = TRANSLATED_STREAM_CHUNKS;
  const lines = [];
  for (const [shortName, shortRows] of rowsByScenario) {
    if (!shortName.endsWith(`-stream-${short}`)) continue;
    const protocol = shortName.slice(0, -`-stream-${short}`.length);
    const longRows = rowsByScenario.get(`${protocol}-stream-${long}`);
    if (longRows === undefined) continue;
    const slopeOf = (arm) =>
      computePerChunkSlope({
        shortCpu: shortRows.find((row) => row.arm === arm)?.cpuPerRequestInUs,
        longCpu: longRows.find((row) => row.arm === arm)?.cpuPerRequestInUs,
      });
    const referenceSlope = slopeOf(reference);
    // each scenario's arms ran at once, but the two scenarios one after the other
    lines.push(
      `\n${protocol}: CPU per added chunk, the slope from ${short} to ${long} chunks`,
      'arm              µs/chunk  ×reference',
    );
    for (const { arm } of shortRows) {
      const slope = slopeOf(arm);
      const ratio = computePerChunkRatio(slope, referenceSlope);
      const slopeText = typeof slope === 'number' ? slope.toFixed(2) : 'n/a';
      const ratioText = ratio === undefined ? 'n/a' : ratio.toFixed(3);
      lines.push(`${arm.padEnd(15)} ${slopeText.padStart(9)}  ${ratioText.padStart(10)}`);
    }
  }
  return lines;
}
