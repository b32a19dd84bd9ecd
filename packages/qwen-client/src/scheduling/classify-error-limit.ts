import type { QwenClientError } from '../errors/qwen-client-error';
import { classifyUpstreamLimit, type UpstreamLimit } from './classify-upstream-limit';

/** The limit an upstream error reports, from its status, code, type and message. */
export function classifyErrorLimit(error: QwenClientError): UpstreamLimit | undefined {
  if (error.upstreamStatus === undefined) return undefined;
  return classifyUpstreamLimit({
    status: error.upstreamStatus,
    text: `${error.upstreamCode ?? ''} ${error.upstreamType ?? ''} ${error.message}`,
  });
}
