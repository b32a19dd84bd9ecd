import type { QwenCredentials } from '../types';

/** Result of {@link safeParseCredentials}: the credentials, or what is wrong (never the content). */
export type ParseCredentialsResult =
  | { success: true; credentials: QwenCredentials }
  | { success: false; problem: string };

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

/**
 * Validates the text of a credentials file. Problems are described by field name and kind
 * only: JSON.parse messages quote the input, so they are never passed on.
 */
export function safeParseCredentials(text: string): ParseCredentialsResult {
  if (text.trim().length === 0) {
    return { success: false, problem: 'the file is empty (possibly half-written)' };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { success: false, problem: 'not valid JSON (possibly half-written or truncated)' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { success: false, problem: 'the JSON is not an object' };
  }
  const record = parsed as Record<string, unknown>;
  for (const field of ['access_token', 'refresh_token'] as const) {
    if (!isNonEmptyString(record[field])) {
      return { success: false, problem: `"${field}" is missing or not a non-empty string` };
    }
  }
  if (record.token_type !== undefined && typeof record.token_type !== 'string') {
    return { success: false, problem: '"token_type" is not a string' };
  }
  if (record.resource_url !== undefined && typeof record.resource_url !== 'string') {
    return { success: false, problem: '"resource_url" is not a string' };
  }
  const expiry = record.expiry_date;
  return {
    success: true,
    credentials: {
      ...record,
      access_token: record.access_token as string,
      refresh_token: record.refresh_token as string,
      token_type: (record.token_type as string | undefined) || 'Bearer',
      // a missing or non-numeric expiry counts as expired
      expiry_date: typeof expiry === 'number' && Number.isFinite(expiry) ? expiry : Number.NaN,
    },
  };
}
