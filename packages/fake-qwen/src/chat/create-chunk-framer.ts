/** Frames choice JSON into complete `data:` events of one stream. */
export interface ChunkFramer {
  /** a chunk with `usage:null` */
  chunk(choiceJson: string): string;
  /** a chunk carrying usage; `choiceJson` empty for the `choices:[]` usage chunk */
  chunkWithUsage(options: { choiceJson: string; usageJson: string }): string;
}

/**
 * Pre-serialises the constant tail of every chunk of a stream (docs/qwen-upstream.md §2.6 key
 * order: `choices, object, usage, created, system_fingerprint, model, id`), so a chunk costs one
 * string concatenation and no JSON.stringify of the envelope.
 */
export function createChunkFramer({
  id,
  createdInSeconds,
  model,
}: {
  id: string;
  createdInSeconds: number;
  model: string;
}): ChunkFramer {
  const trailer = `"created":${createdInSeconds},"system_fingerprint":null,"model":${JSON.stringify(model)},"id":${JSON.stringify(id)}}\n\n`;
  const tail = `],"object":"chat.completion.chunk","usage":null,${trailer}`;
  return {
    chunk: (choiceJson) => `data: {"choices":[${choiceJson}${tail}`,
    chunkWithUsage: ({ choiceJson, usageJson }) =>
      `data: {"choices":[${choiceJson}],"object":"chat.completion.chunk","usage":${usageJson},${trailer}`,
  };
}

/** The in-band error chunk some providers send: `finish_reason:"error_finish"`, error text in content. */
export function encodeErrorFinishChunk({
  framer,
  message,
}: {
  framer: ChunkFramer;
  message: string;
}): string {
  return framer.chunk(
    `{"finish_reason":"error_finish","delta":{"content":${JSON.stringify(message)}},"index":0,"logprobs":null}`,
  );
}
