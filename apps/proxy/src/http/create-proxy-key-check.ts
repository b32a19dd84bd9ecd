import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

function hashKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/** Extracts the key a client presented: `Authorization: Bearer <key>` or `x-api-key: <key>`. */
export function readPresentedApiKey(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (match?.[1] !== undefined) return match[1].trim();
  }
  const apiKey = headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey.trim() !== '') return apiKey.trim();
  return undefined;
}

/**
 * Returns a check that accepts a request when no keys are configured, or when it presents
 * one of them. Comparison is constant-time: both sides are hashed to equal-length digests
 * and every configured key is compared, so timing reveals neither length nor prefix.
 */
export function createProxyKeyCheck({
  proxyApiKeys,
}: {
  proxyApiKeys: readonly string[];
}): (headers: IncomingHttpHeaders) => boolean {
  const expectedDigests = proxyApiKeys.map(hashKey);
  return (headers) => {
    if (expectedDigests.length === 0) return true;
    const presented = readPresentedApiKey(headers);
    const presentedDigest = hashKey(presented ?? '');
    let accepted = false;
    for (const expected of expectedDigests) {
      // no early exit: the loop costs the same whichever key matched
      accepted = timingSafeEqual(expected, presentedDigest) || accepted;
    }
    return accepted && presented !== undefined;
  };
}
