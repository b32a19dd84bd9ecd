import { createToolCallName } from '../../tool-calls/synthesize-tool-call-fields';

const INVALID_ID_CHARACTERS = /[^a-zA-Z0-9_-]/g;

/**
 * The `tool_use.id` for a call: the upstream's id with every character outside
 * `[a-zA-Z0-9_-]` replaced by `_` (Claude Code rejects other ids), or, when the upstream sent
 * none, `toolu_<message id>_<position>` — stable, so a stream and its replay agree.
 */
export function createToolUseId({
  upstreamId,
  messageId,
  position,
}: {
  upstreamId: string;
  messageId: string;
  position: number;
}): string {
  if (upstreamId !== '') return upstreamId.replace(INVALID_ID_CHARACTERS, '_');
  return `toolu_${messageId.replace(/^msg_/, '').replace(INVALID_ID_CHARACTERS, '_')}_${position}`;
}

/** The name of a call that arrived without one: `tool_<position>` as on chat, never dropped. */
export function createToolName({ name, position }: { name: string; position: number }): string {
  return name !== '' ? name : createToolCallName(position);
}
