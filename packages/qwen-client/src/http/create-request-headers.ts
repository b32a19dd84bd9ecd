import type { UpstreamToken } from '@qwen-relay/contracts';

/** Headers of one upstream call; the bearer is the only secret and is never logged. */
export function createRequestHeaders({
  token,
  stream,
  requestId,
  userAgent,
}: {
  token: UpstreamToken;
  stream: boolean;
  requestId: string;
  userAgent: string;
}): Record<string, string> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${token.accessToken}`,
    'content-type': 'application/json',
    accept: stream ? 'text/event-stream' : 'application/json',
    'user-agent': userAgent,
    'x-dashscope-cachecontrol': 'enable',
    'x-request-id': requestId,
  };
  // the portal's OAuth marker; API keys (DashScope, Coding Plan) must not claim to be OAuth
  if (token.authType === 'qwen-oauth') headers['x-dashscope-authtype'] = 'qwen-oauth';
  return headers;
}
