/** The Redis URL without its password or user, for logs and status (never a secret). */
export function describeRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return 'an unparsable Redis URL';
  }
}
