import { convertErrorToOpenAIError } from './convert-error-to-openai-error';

const encoder = new TextEncoder();

/** The final SSE event of a failed stream: `data: {"error":{...}}\n\n` (OpenAI clients raise on it). */
export function encodeSseErrorEvent(error: unknown): Uint8Array {
  return encoder.encode(formatSseErrorEvent(error));
}

/** String form of {@link encodeSseErrorEvent}, for callers that batch text before encoding. */
export function formatSseErrorEvent(error: unknown): string {
  return `data: ${JSON.stringify(convertErrorToOpenAIError(error).body)}\n\n`;
}
