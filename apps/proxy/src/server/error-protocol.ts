/** The wire protocol errors of a request are answered in. */
export type ErrorProtocol = 'openai' | 'anthropic';

/**
 * `/v1/messages` and everything under it speak Anthropic, errors included; so does `/v1/models`
 * for a client that sends `anthropic-version`. The rest speaks OpenAI.
 */
export function readErrorProtocol({
  path,
  anthropicVersion,
}: {
  path: string;
  anthropicVersion: unknown;
}): ErrorProtocol {
  if (path === '/v1/messages' || path.startsWith('/v1/messages/')) return 'anthropic';
  const isModels = path === '/v1/models' || path.startsWith('/v1/models/');
  return isModels && typeof anthropicVersion === 'string' ? 'anthropic' : 'openai';
}
