import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { StreamSummary } from '../src/index';
import {
  createPassthroughVariants,
  createTranslationVariants,
  GOLDEN_FILE_URL,
  type GoldenFile,
  type GoldenInput,
  type GoldenRecord,
  type GoldenVariant,
  loadUpstreamInputs,
} from './golden-stream-cases';
import { randomOffsets, runStreamTransform, splitAt } from './stream-helpers';

/*
 * Golden byte tests: every stream transform's exact output for recorded inputs, pinned before
 * the stream code was de-duplicated, so a refactor or a faster path cannot change one byte. The
 * output must be the same for one read, for byte-by-byte reads (every mid-line, mid-CRLF and
 * mid-UTF-8 split), and for a seeded random split with the state cloned between reads. To record
 * after an intended change of output: `RECORD_GOLDEN_STREAMS=1 pnpm exec vitest run
 * test/golden-stream-output.test.ts`, then review the diff of the JSON file.
 */

const strictDecoder = new TextDecoder('utf-8', { fatal: true });

interface RunResult {
  output: string;
  sha256: string;
  byteLength: number;
  summary: StreamSummary;
  lengths: number[];
}

function run({
  variant,
  parts,
  restoreEachTime,
}: {
  variant: GoldenVariant;
  parts: readonly Uint8Array[];
  restoreEachTime: boolean;
}): RunResult {
  const { outputs, summary } = runStreamTransform({
    transform: variant.create(),
    parts,
    restoreEachTime,
    ...(variant.failure === undefined ? {} : { failure: variant.failure }),
  });
  const joined = new Uint8Array(outputs.reduce((total, output) => total + output.length, 0));
  let offset = 0;
  for (const output of outputs) {
    joined.set(output, offset);
    offset += output.length;
  }
  return {
    // fatal: invalid UTF-8 throws, so equal strings mean equal bytes
    output: strictDecoder.decode(joined),
    sha256: createHash('sha256').update(joined).digest('hex'),
    byteLength: joined.length,
    summary,
    lengths: outputs.map((output) => output.length),
  };
}

function seedOf(name: string): number {
  let seed = 17;
  for (let index = 0; index < name.length; index++) seed = (seed * 31 + name.charCodeAt(index)) | 0;
  return seed;
}

function randomParts(input: GoldenInput): Uint8Array[] {
  const offsets = randomOffsets({ length: input.bytes.length, count: 9, seed: seedOf(input.name) });
  return splitAt({ bytes: input.bytes, offsets });
}

function record(variant: GoldenVariant, input: GoldenInput): GoldenRecord {
  const whole = run({ variant, parts: [input.bytes], restoreEachTime: false });
  const split = run({ variant, parts: randomParts(input), restoreEachTime: true });
  const keepText = !input.name.includes('@') && !variant.name.includes('passthrough');
  return {
    ...(keepText ? { output: whole.output } : {}),
    sha256: whole.sha256,
    byteLength: whole.byteLength,
    summary: whole.summary,
    wholeReadLengths: whole.lengths,
    splitReadLengths: split.lengths,
  };
}

function recordVariants(golden: GoldenFile, variants: readonly GoldenVariant[]): void {
  for (const variant of variants) {
    const records: Record<string, GoldenRecord> = {};
    for (const input of variant.inputs) records[input.name] = record(variant, input);
    golden[variant.name] = records;
  }
}

// one record a line: a change of output shows as the lines of the cases it touches
function formatGoldenFile(file: GoldenFile): string {
  const variantBlocks = Object.entries(file).map(([variant, records]) => {
    const lines = Object.entries(records).map(
      ([name, item]) => `    ${JSON.stringify(name)}: ${JSON.stringify(item)}`,
    );
    return `  ${JSON.stringify(variant)}: {\n${lines.join(',\n')}\n  }`;
  });
  return `{\n${variantBlocks.join(',\n')}\n}\n`;
}

const upstreamInputs = loadUpstreamInputs();

if (process.env.RECORD_GOLDEN_STREAMS === '1') {
  const recorded: GoldenFile = {};
  recordVariants(recorded, createTranslationVariants(upstreamInputs));
  recordVariants(recorded, createPassthroughVariants(recorded));
  writeFileSync(GOLDEN_FILE_URL, formatGoldenFile(recorded));
}

const golden = JSON.parse(readFileSync(GOLDEN_FILE_URL, 'utf8')) as GoldenFile;
const variants = [
  ...createTranslationVariants(upstreamInputs),
  ...createPassthroughVariants(golden),
];

describe('golden stream outputs', () => {
  it('has a record for every case and none for a case that is gone', () => {
    const expected = Object.fromEntries(
      variants.map((variant) => [variant.name, variant.inputs.map((input) => input.name).sort()]),
    );
    const actual = Object.fromEntries(
      Object.entries(golden).map(([name, records]) => [name, Object.keys(records).sort()]),
    );
    expect(actual).toEqual(expected);
  });

  describe.each(variants.map((variant) => [variant.name, variant] as const))(
    '%s',
    (_name, variant) => {
      it.each(variant.inputs.map((input) => [input.name, input] as const))(
        '%s: same bytes, summary and read boundaries as recorded, for any split',
        (name, input) => {
          const expected = golden[variant.name]?.[name];
          if (expected === undefined)
            throw new Error(`no golden record for ${variant.name} ${name}`);
          const whole = run({ variant, parts: [input.bytes], restoreEachTime: false });
          // the text first where it is kept: a readable diff
          if (expected.output !== undefined) expect(whole.output).toBe(expected.output);
          expect(whole.sha256).toBe(expected.sha256);
          expect(whole.byteLength).toBe(expected.byteLength);
          expect(whole.summary).toEqual(expected.summary);
          expect(whole.lengths).toEqual(expected.wholeReadLengths);
          const split = run({ variant, parts: randomParts(input), restoreEachTime: true });
          expect(split.output).toBe(whole.output);
          expect(split.summary).toEqual(expected.summary);
          expect(split.lengths).toEqual(expected.splitReadLengths);
          const bytewise = run({
            variant,
            parts: Array.from(input.bytes, (byte) => Uint8Array.of(byte)),
            restoreEachTime: false,
          });
          expect(bytewise.output).toBe(whole.output);
          expect(bytewise.summary).toEqual(expected.summary);
        },
      );
    },
  );
});
