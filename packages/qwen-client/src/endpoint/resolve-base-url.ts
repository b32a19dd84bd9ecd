/** Used when neither an override nor a `resource_url` is known (docs/qwen-upstream.md §2.1). */
export const DEFAULT_QWEN_BASE_URL = 'https://dashscope.aliyuncs.com/compatible-mode/v1';

/**
 * Derives the chat base URL (docs/qwen-upstream.md §2.1): `baseUrlOverride` (QWEN_API_BASE_URL)
 * wins, then the token's `resourceUrl`, then DashScope compatible-mode. A bare host gets
 * `https://`; a URL with a scheme keeps it; `/v1` is appended when missing; trailing slashes are
 * dropped.
 */
export function resolveBaseUrl({
  resourceUrl,
  baseUrlOverride,
}: {
  resourceUrl?: string | undefined;
  baseUrlOverride?: string | undefined;
}): string {
  const override = baseUrlOverride?.trim();
  if (override) return normalizeBaseUrl(override);
  const resource = resourceUrl?.trim();
  if (resource) return normalizeBaseUrl(resource);
  return DEFAULT_QWEN_BASE_URL;
}

function normalizeBaseUrl(value: string): string {
  const withScheme = /^https?:\/\//i.test(value) ? value : `https://${value}`;
  const withoutTrailingSlash = withScheme.replace(/\/+$/, '');
  // compatible-mode URLs already end in /v1; anything else gets it, like qwen-code does
  return /\/v1$/i.test(withoutTrailingSlash) ? withoutTrailingSlash : `${withoutTrailingSlash}/v1`;
}
