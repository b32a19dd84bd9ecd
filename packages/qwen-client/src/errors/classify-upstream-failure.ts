/** Message patterns qwen-code treats as an auth failure (docs/qwen-upstream.md §1.7). */
const authPatterns = [
  'unauthorized',
  'forbidden',
  'invalid api key',
  'invalid access token',
  'token expired',
  'authentication',
  'access denied',
];

/** True for texts that look like an expired or rejected token. */
export function isAuthLookingText(text: string): boolean {
  const lower = text.toLowerCase();
  if (authPatterns.some((pattern) => lower.includes(pattern))) return true;
  return lower.includes('token') && lower.includes('expired');
}

/** True for hard-quota texts: `insufficient_quota`, "free allocated quota exceeded", quota + exceeded. */
export function isQuotaText(text: string): boolean {
  const lower = text.toLowerCase();
  if (lower.includes('insufficient_quota') || lower.includes('free allocated quota exceeded')) {
    return true;
  }
  return lower.includes('quota') && lower.includes('exceeded');
}

/** True for the `504 stream timeout` the upstream sends on long or expired-token streams. */
export function isStreamTimeoutText(text: string): boolean {
  return text.toLowerCase().includes('stream timeout');
}
