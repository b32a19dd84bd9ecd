import { readdirSync, readFileSync } from 'node:fs';
import {
  createAnthropicPassthroughTransform,
  createAnthropicStreamTransform,
  createChatStreamTransform,
  createResponsesPassthroughTransform,
  createResponsesStreamTransform,
  type StreamFailure,
  type StreamTransform,
} from '../src/index';
import { createTestContext } from './responses-helpers';
import { FIXTURE_NAMES, loadFixture } from './stream-helpers';

/** What a golden case pins: the exact output, the summary, and how the output fell into reads. */
export interface GoldenRecord {
  /**
   * the whole output (every `transform()` and `end()` result joined), decoded strictly as UTF-8;
   * kept as text for the complete inputs of the translations (readable, and the passthroughs'
   * inputs), as its SHA-256 only for the rest
   */
  output?: string;
  /** SHA-256 (hex) of the output bytes */
  sha256: string;
  /** byte length of the output */
  byteLength: number;
  summary: unknown;
  /** byte length of each output when the input comes in one read, then `end()` */
  wholeReadLengths: number[];
  /** byte length of each output for the seeded random split, state cloned between reads */
  splitReadLengths: number[];
}

/** The golden file: transform variant → input name → record. */
export type GoldenFile = Record<string, Record<string, GoldenRecord>>;

/** One stream input of a golden case. */
export interface GoldenInput {
  name: string;
  bytes: Uint8Array;
}

/** One transform configuration and the inputs it is pinned on. */
export interface GoldenVariant {
  name: string;
  create: () => StreamTransform;
  /** passed to `end()` */
  failure?: StreamFailure;
  inputs: readonly GoldenInput[];
}

/** The golden outputs, recorded from the code before the stream de-duplication. */
export const GOLDEN_FILE_URL = new URL(
  '../src/__fixtures__/golden/stream-outputs.json',
  import.meta.url,
);
const INPUTS_URL = new URL('../src/__fixtures__/golden/inputs/', import.meta.url);

const encoder = new TextEncoder();

/** The recorded upstream chat streams and the extra ones of golden/inputs, each also cut short. */
export function loadUpstreamInputs(): GoldenInput[] {
  const extra = readdirSync(INPUTS_URL)
    .filter((file) => file.endsWith('.sse'))
    .sort()
    .map((file) => ({
      name: file.slice(0, -'.sse'.length),
      bytes: new Uint8Array(readFileSync(new URL(file, INPUTS_URL))),
    }));
  const recorded = FIXTURE_NAMES.map((name) => ({ name, bytes: loadFixture(name) }));
  return withTruncations([...recorded, ...extra]);
}

// every input, plus its first half (often mid-line, sometimes mid-character) and all but its last byte
function withTruncations(inputs: readonly GoldenInput[]): GoldenInput[] {
  return inputs.flatMap((input) => [
    input,
    { name: `${input.name}@half`, bytes: input.bytes.slice(0, input.bytes.length >> 1) },
    { name: `${input.name}@minus1`, bytes: input.bytes.slice(0, input.bytes.length - 1) },
  ]);
}

/**
 * Native streams for the passthroughs: the recorded outputs of a translation variant (Anthropic
 * or Responses events, exactly as a native upstream frames them), also with CRLF line ends.
 */
export function loadNativeInputs({
  golden,
  variant,
}: {
  golden: GoldenFile;
  variant: string;
}): GoldenInput[] {
  const records = golden[variant];
  if (records === undefined) throw new Error(`no golden records for ${variant}`);
  const inputs = Object.entries(records)
    .filter(([name]) => !name.includes('@'))
    .flatMap(([name, { output }]) => {
      if (output === undefined) throw new Error(`no recorded output for ${variant} ${name}`);
      return [
        { name, bytes: encoder.encode(output) },
        { name: `${name}+crlf`, bytes: encoder.encode(output.replaceAll('\n', '\r\n')) },
      ];
    });
  return withTruncations(inputs);
}

const FAILURE: StreamFailure = {
  message: 'upstream connection closed early',
  type: 'upstream_error',
  code: 'upstream_closed',
  relayCode: 'QWEN_RELAY_STREAM_TRUNCATED',
};

/** The translation variants (their inputs are upstream chat streams). */
export function createTranslationVariants(upstream: readonly GoldenInput[]): GoldenVariant[] {
  const few = upstream.filter(
    (input) => input.name === 'plain-text' || input.name === 'tool-calls@half',
  );
  return [
    {
      name: 'chat',
      create: () => createChatStreamTransform({ clientModel: 'coder-model', includeUsage: false }),
      inputs: upstream,
    },
    {
      name: 'chat+usage',
      create: () => createChatStreamTransform({ clientModel: 'coder-model', includeUsage: true }),
      inputs: upstream,
    },
    {
      name: 'chat+same-model',
      create: () => createChatStreamTransform({ clientModel: 'qwen3.6-plus', includeUsage: true }),
      inputs: upstream,
    },
    {
      name: 'chat+short-lines',
      create: () =>
        createChatStreamTransform({
          clientModel: 'coder-model',
          includeUsage: true,
          maxLineBytes: 200,
        }),
      inputs: few,
    },
    {
      name: 'responses',
      create: () => createResponsesStreamTransform({ context: createTestContext() }),
      inputs: upstream,
    },
    {
      name: 'responses+custom-tool+keep',
      create: () =>
        createResponsesStreamTransform({
          context: createTestContext({
            toolNames: {
              custom: ['read_file', 'search'],
              namespaced: { web__open: { namespace: 'web', name: 'open' } },
            },
          }),
          keepFinalResponse: true,
        }),
      failure: FAILURE,
      inputs: upstream,
    },
    {
      name: 'responses+short-lines',
      create: () =>
        createResponsesStreamTransform({ context: createTestContext(), maxLineBytes: 200 }),
      inputs: few,
    },
    {
      name: 'anthropic',
      create: () =>
        createAnthropicStreamTransform({
          clientModel: 'claude-sonnet-4-5',
          messageId: 'msg_golden01',
          estimatedInputTokens: 42,
        }),
      inputs: upstream,
    },
    {
      name: 'anthropic+stop-sequences',
      create: () =>
        createAnthropicStreamTransform({
          clientModel: 'claude-sonnet-4-5',
          messageId: 'msg_golden02',
          stopSequences: ['works', 'END'],
        }),
      inputs: upstream,
    },
    {
      name: 'anthropic+short-lines',
      create: () =>
        createAnthropicStreamTransform({
          clientModel: 'claude-sonnet-4-5',
          messageId: 'msg_golden03',
          maxLineBytes: 200,
        }),
      inputs: few,
    },
  ];
}

/** The passthrough variants (their inputs are the recorded translation outputs). */
export function createPassthroughVariants(golden: GoldenFile): GoldenVariant[] {
  const anthropic = loadNativeInputs({ golden, variant: 'anthropic' });
  const responses = loadNativeInputs({ golden, variant: 'responses' });
  return [
    {
      name: 'anthropic-passthrough',
      create: () => createAnthropicPassthroughTransform(),
      inputs: anthropic,
    },
    {
      name: 'anthropic-passthrough+short-lines',
      create: () => createAnthropicPassthroughTransform({ maxLineBytes: 300 }),
      inputs: anthropic.filter((input) => input.name.startsWith('tool-calls')),
    },
    {
      name: 'responses-passthrough',
      create: () => createResponsesPassthroughTransform(),
      inputs: responses,
    },
    {
      name: 'responses-passthrough+keep+failure',
      create: () =>
        createResponsesPassthroughTransform({ keepFinalResponse: true, maxLineBytes: 2000 }),
      failure: FAILURE,
      inputs: responses,
    },
  ];
}
