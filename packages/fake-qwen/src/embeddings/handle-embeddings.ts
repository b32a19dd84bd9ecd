import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { createInvalidParameterBody } from '../errors/upstream-error-bodies';
import type { ReadBody } from '../http/read-request-body';
import { sendJson } from '../http/send-response';
import type { FakeContext } from '../server/fake-context';

const DEFAULT_DIMENSIONS = 1024;

/** Deterministic unit-ish vector derived from the text, so equal inputs embed equally. */
function createEmbedding({ text, dimensions }: { text: string; dimensions: number }): number[] {
  const digest = createHash('sha256').update(text).digest();
  const vector: number[] = new Array(dimensions);
  for (let index = 0; index < dimensions; index += 1) {
    vector[index] =
      Math.round((((digest[index % digest.length]! + index) % 256) / 255) * 2e6 - 1e6) / 1e6;
  }
  return vector;
}

/** POST /v1/embeddings once enabled and authorised: OpenAI list shape. */
export function handleEmbeddings({
  context,
  body,
  response,
}: {
  context: FakeContext;
  body: ReadBody;
  response: ServerResponse;
}): void {
  const parsed = body.parsed as
    | { model?: unknown; input?: unknown; dimensions?: unknown }
    | undefined;
  const input = parsed?.input;
  const inputs =
    typeof input === 'string'
      ? [input]
      : Array.isArray(input) && input.every((item) => typeof item === 'string')
        ? (input as string[])
        : undefined;
  if (body.kind !== 'json' || typeof parsed?.model !== 'string' || !inputs || inputs.length === 0) {
    sendJson({
      response,
      status: 400,
      value: createInvalidParameterBody(
        'model and input (a string or an array of strings) are required',
      ),
    });
    return;
  }
  const dimensions =
    typeof parsed.dimensions === 'number' &&
    Number.isInteger(parsed.dimensions) &&
    parsed.dimensions > 0
      ? Math.min(parsed.dimensions, 4096)
      : DEFAULT_DIMENSIONS;
  const promptTokens = inputs.reduce(
    (sum, text) => sum + Math.max(1, Math.ceil(text.length / 4)),
    0,
  );
  sendJson({
    response,
    status: 200,
    value: {
      object: 'list',
      data: inputs.map((text, index) => ({
        object: 'embedding',
        embedding: createEmbedding({ text, dimensions }),
        index,
      })),
      model: context.settings.modelAliases[parsed.model] ?? parsed.model,
      usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
    },
  });
}
