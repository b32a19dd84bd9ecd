import { isRecord } from '@qwen-relay/contracts';
import type { GenAiRequestFacts, GenAiResponseFacts } from './gen-ai-span';

function readNumber(source: Record<string, unknown>, name: string): number | undefined {
  const value = source[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Model names and sampling numbers of an upstream payload: never its messages or input. */
export function readGenAiRequestFacts({
  payload,
  clientModel,
}: {
  payload: Record<string, unknown>;
  clientModel: string;
}): Omit<GenAiRequestFacts, 'operation'> {
  const fields = payload;
  const maxTokens = readNumber(fields, 'max_tokens') ?? readNumber(fields, 'max_completion_tokens');
  const temperature = readNumber(fields, 'temperature');
  const topP = readNumber(fields, 'top_p');
  return {
    upstreamModel: typeof payload.model === 'string' ? payload.model : clientModel,
    clientModel,
    ...(maxTokens === undefined ? {} : { maxTokens }),
    ...(temperature === undefined ? {} : { temperature }),
    ...(topP === undefined ? {} : { topP }),
  };
}

/**
 * Model, id, finish reasons and token counts of an upstream JSON answer (chat or embeddings):
 * never its content.
 */
export function readGenAiResponseFacts(body: unknown): GenAiResponseFacts {
  if (!isRecord(body)) return {};
  const usage = isRecord(body.usage) ? body.usage : {};
  const inputTokens = readNumber(usage, 'prompt_tokens') ?? readNumber(usage, 'input_tokens');
  const outputTokens = readNumber(usage, 'completion_tokens') ?? readNumber(usage, 'output_tokens');
  const finishReasons = Array.isArray(body.choices)
    ? body.choices
        .map((choice: unknown) => (isRecord(choice) ? choice.finish_reason : undefined))
        .filter((reason): reason is string => typeof reason === 'string')
    : [];
  return {
    ...(typeof body.model === 'string' ? { responseModel: body.model } : {}),
    ...(typeof body.id === 'string' ? { responseId: body.id } : {}),
    ...(finishReasons.length === 0 ? {} : { finishReasons }),
    ...(inputTokens === undefined ? {} : { inputTokens }),
    ...(outputTokens === undefined ? {} : { outputTokens }),
  };
}
