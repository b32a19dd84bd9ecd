/** DashScope compatible-mode base URL, used when credentials carry no `resource_url`. */
export const DEFAULT_API_BASE_URL = 'https://dashscope.aliyuncs.com/compatible-mode/v1';

/**
 * The chat API base URL for a `resource_url` (docs/design.md §6): a bare host gets `https://`,
 * a URL with a scheme is kept, and `/v1` is added unless already there.
 */
export function formatApiEndpoint(resourceUrl: string | undefined): string {
  if (resourceUrl === undefined || resourceUrl.trim() === '') return DEFAULT_API_BASE_URL;
  const trimmed = resourceUrl.trim().replace(/\/+$/, '');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  return withScheme.endsWith('/v1') ? withScheme : `${withScheme}/v1`;
}
