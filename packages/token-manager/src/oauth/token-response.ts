/** The fields of a successful token endpoint answer this package uses. */
export interface TokenResponse {
  access_token: string;
  token_type: string;
  refresh_token?: string;
  resource_url?: string;
  expires_in?: number;
  [unknown: string]: unknown;
}

/** A token answer counts as a success when `access_token` is a non-empty string (as in qwen-code). */
export function safeParseTokenResponse(
  body: Record<string, unknown> | undefined,
): TokenResponse | undefined {
  if (!body || typeof body.access_token !== 'string' || body.access_token.length === 0) {
    return undefined;
  }
  if (body.error !== undefined) return undefined;
  const expiresIn = Number(body.expires_in);
  const resourceUrl = body.resource_url ?? body.endpoint;
  return {
    access_token: body.access_token,
    token_type: typeof body.token_type === 'string' && body.token_type ? body.token_type : 'Bearer',
    ...(typeof body.refresh_token === 'string' && body.refresh_token
      ? { refresh_token: body.refresh_token }
      : {}),
    ...(typeof resourceUrl === 'string' && resourceUrl ? { resource_url: resourceUrl } : {}),
    ...(body.expires_in !== undefined && Number.isFinite(expiresIn) && expiresIn > 0
      ? { expires_in: expiresIn }
      : {}),
  };
}
