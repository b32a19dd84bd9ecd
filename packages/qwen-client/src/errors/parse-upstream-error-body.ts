/** The interesting parts of an upstream error envelope `{"error":{code,message,type,param}}`. */
export interface UpstreamErrorDetails {
  message?: string;
  code?: string;
  type?: string;
  param?: string;
}

/**
 * Extracts the DashScope error envelope from a body that may be JSON, an SSE-framed
 * `data: {...}` line (pre-stream errors of streaming calls), or plain text. Never throws.
 */
export function parseUpstreamErrorBody(bodyText: string): UpstreamErrorDetails {
  const trimmed = bodyText.trim();
  const jsonText = trimmed.startsWith('data:') ? trimmed.slice(5).split('\n')[0]?.trim() : trimmed;
  if (jsonText?.startsWith('{')) {
    try {
      return pickDetails(JSON.parse(jsonText) as unknown);
    } catch {
      // fall through: not JSON after all
    }
  }
  return trimmed === '' ? {} : { message: trimmed.slice(0, 500) };
}

function pickDetails(parsed: unknown): UpstreamErrorDetails {
  if (typeof parsed !== 'object' || parsed === null) return {};
  const root = parsed as Record<string, unknown>;
  // DashScope nests under `error`; OAuth-style bodies use error + error_description
  const nested = typeof root.error === 'object' && root.error !== null ? root.error : root;
  const source = nested as Record<string, unknown>;
  const details: UpstreamErrorDetails = {};
  const message = asString(source.message) ?? asString(root.error_description);
  const code = asString(source.code) ?? asString(root.error);
  const type = asString(source.type);
  const param = asString(source.param);
  if (message !== undefined) details.message = message;
  if (code !== undefined) details.code = code;
  if (type !== undefined) details.type = type;
  if (param !== undefined) details.param = param;
  return details;
}

function asString(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}
