import type {
  ResponseContext,
  ResponseIncompleteReason,
  ResponseObject,
  ResponseOutputItem,
  ResponseUsage,
} from './responses-types';

/** A response object for the context (status, output and usage as given, nothing else set). */
export function createResponseObject({
  context,
  status,
  output = [],
  usage = null,
  incompleteReason,
  error,
}: {
  context: ResponseContext;
  status: ResponseObject['status'];
  output?: ResponseOutputItem[];
  usage?: ResponseUsage | null;
  incompleteReason?: ResponseIncompleteReason;
  error?: { code: string; message: string };
}): ResponseObject {
  return {
    id: context.responseId,
    object: 'response',
    created_at: context.createdAtInSeconds,
    status,
    error: error ?? null,
    incomplete_details: incompleteReason === undefined ? null : { reason: incompleteReason },
    ...context.echo,
    model: context.clientModel,
    output,
    truncation: 'disabled',
    usage,
  };
}

/** Why a chat finish reason makes a response incomplete (undefined: it does not). */
export function mapFinishReasonToIncompleteReason(
  finishReason: string | null,
): ResponseIncompleteReason | undefined {
  if (finishReason === 'length') return 'max_output_tokens';
  if (finishReason === 'content_filter') return 'content_filter';
  return undefined;
}

/** The id of the output item at `outputIndex` (`msg_…`, `rs_…`, `fc_…`, `ctc_…`), stable per response. */
export function createOutputItemId({
  context,
  prefix,
  outputIndex,
}: {
  context: ResponseContext;
  prefix: 'msg' | 'rs' | 'fc' | 'ctc';
  outputIndex: number;
}): string {
  const { responseId } = context;
  const bare = responseId.startsWith('resp_') ? responseId.slice(5) : responseId;
  return `${prefix}_${bare}_${outputIndex}`;
}
